// The incremental engine: the worker's EventApplier. Per batch of claimed inbox events, under the writer lease:
//   1. journal rows a crash or a failed read-back left pending are reconciled first (read back from Plex)
//   2. each event is sorted (event-batch.ts): ignored (another server…), an echo (no work, no request), a
//      rating, or new music
//   3. one multi-id read of every item the events name (Plex is the truth, the payload a trigger); the
//      items go into the cache and the model (ownership and μ's tally, O(album) each)
//   4. items the cache lacks (library.new, or rated before a sync saw them): their subtrees are fetched
//      into the cache and the model is rebuilt
//   5. events are coalesced by subtree (artist; album for compilations); each group: recompute exactly that
//      subtree with the current μ, plan with the ε rule, send through the journaled writer as one run
//   6. when μ has moved by ε or more since the last full pass, a full pass is due; it runs when the inbox is idle
// A failure leaves the event pending (the worker retries with backoff, then dead-letters it).
import type { Kysely } from 'kysely';
import { noChanges, ownChanges, readDataVersions, type DataVersions, type OwnChanges } from '../../db/data-versions.js';
import { LeaseHeldError } from '../../db/engine-lease-repo.js';
import { latestFullPass, queuedEventCount } from '../../db/engine-live-reads.js';
import { laterRatingEvents } from '../../db/inbox-item-events.js';
import { LibraryRepo } from '../../db/library-repo.js';
import type { Database } from '../../db/schema.js';
import type { EventApplier, EventResult, InboxEvent } from '../../webhooks/worker.js';
import { groupByScope, intentOf, latestPersonActs, personActOf, type PersonAct } from './event-batch.js';
import { runFullPass, withWriterLease, type EngineDeps, type FullPassResult } from '../pass/full-pass.js';
import { executeScopePlan, RunCancelled, type PersonRestore } from './incremental-run.js';
import { LiveModel } from './live-model.js';
import { fetchSubtrees, readEventItems, type LivePlex, type ReadItem } from './live-plex.js';
import { reconcileJournal } from '../writer/reconcile.js';
import { sameRating, sleep } from '../core/values.js';
import { RatingWriter } from '../writer/writer.js';

export interface IncrementalEngineOptions {
  deps: EngineDeps;
  db: Kysely<Database>;
  plex: LivePlex;
  sectionId: string;
  machineIdentifier: string | null;
  dryRun: boolean;
  /** How long a batch waits for another process's writer lease before failing (retried later). */
  leaseWaitMs?: number;
  /** Asks the worker to look for work now (a requested full pass). */
  wake?: () => void;
}

export interface IncrementalStatus {
  mu: number;
  muAtLastFullPass: number | null;
  epsilon: number;
  fullPassDue: boolean;
  lastFullPassRunId: number | null;
  eventsApplied: number;
  modelBuiltAt: number;
}

type Outcome = Record<string, unknown>;

/**
 * How long before a person's event arrives a write of Sagewire's may have been planned and still have
 * raced the person's act: a request's latency plus the time Plex takes to deliver the webhook, which a
 * backlog of deliveries stretches to seconds.
 */
const RACE_WINDOW_MS = 60_000;

export class IncrementalEngine implements EventApplier {
  readonly model: LiveModel;
  private readonly writer: RatingWriter;
  private readonly repo: LibraryRepo;
  private readonly abort = new AbortController();
  private readonly linked = new WeakSet<AbortSignal>();
  private muAtFullPass: number | null = null;
  private lastFullPassRunId: number | null = null;
  private fullPassDue = false;
  private fullPassWaiters: Array<{ resolve: (r: FullPassResult) => void; reject: (e: unknown) => void }> = [];
  /** The data versions the model was last loaded at (see catchUpWithCache()). */
  private loadedAt: DataVersions = { library: -1, ratings: -1 };
  /** The versions this engine moved itself since then: its model already holds those changes. */
  private readonly own: OwnChanges = noChanges();
  private eventsApplied = 0;

  constructor(private readonly options: IncrementalEngineOptions) {
    const { deps } = options;
    this.model = new LiveModel(deps.store, deps.params);
    this.repo = new LibraryRepo(deps.store.sqlite, { ratingChanges: 'ratings' });
    this.writer = new RatingWriter(deps.store, deps.port, deps.logger, {
      ...deps.writer,
      inferredTag: deps.inferredTag,
      signal: this.abort.signal,
    });
  }

  /** Reconciles the journal, builds the model (O(library), once), reads μ of the last full pass. */
  async init(): Promise<void> {
    await ownChanges(this.own, () =>
      this.underLease(async () => {
        await this.reconcilePending();
      }),
    );
    this.rebuild();
    this.checkDrift();
  }

  stop(): void {
    this.abort.abort();
  }

  async applyEvents(events: InboxEvent[], signal: AbortSignal): Promise<EventResult[]> {
    this.link(signal);
    const results = new Map<number, EventResult>();
    try {
      await ownChanges(this.own, () => this.underLease(() => this.applyBatch(events, results)));
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      for (const event of events) if (!results.has(event.id)) results.set(event.id, { id: event.id, ok: false, error });
    }
    return events.map((e) => results.get(e.id) ?? { id: e.id, ok: false, error: 'not applied' });
  }

  /** The low-priority full pass, when due (μ drift, or asked for); then the model is rebuilt. */
  async onIdle(signal: AbortSignal): Promise<void> {
    this.link(signal);
    if (!this.fullPassDue || this.abort.signal.aborted || Date.now() < this.fullPassRetryAt) return;
    // Low priority: not while events wait (for a retry, too) — they would change what the pass computes.
    if (queuedEventCount(this.options.deps.store.sqlite) > 0) return;
    const waiters = this.fullPassWaiters.splice(0);
    this.busy += 1;
    try {
      const result = await ownChanges(this.own, () =>
        runFullPass(this.options.deps, { dryRun: this.options.dryRun, signal: this.abort.signal }),
      );
      // Writes Plex did not take are not journaled as applied: the pass stays due and runs again later.
      const incomplete = (result.outcome?.failed ?? 0) > 0 || result.outcome?.cancelled === true;
      if (!result.dryRun) this.lastFullPassRunId = result.runId; // before rebuild(), which watches for newer passes
      this.rebuild('ratings'); // a full pass changes ratings and claims, never the library's shape
      this.fullPassDue = incomplete;
      this.scheduleFullPassRetry(incomplete);
      if (!result.dryRun) this.muAtFullPass = result.plan.mu;
      this.options.deps.logger.info(
        { runId: result.runId, mu: result.plan.mu, written: result.outcome?.written ?? 0, seconds: result.seconds },
        'engine: full pass done',
      );
      for (const w of waiters) w.resolve(result);
    } catch (err) {
      if (err instanceof LeaseHeldError) {
        this.fullPassWaiters.unshift(...waiters); // another process writes now: try again when idle next
        return;
      }
      // Plex failing: keep the pass due and try again after a backoff.
      this.scheduleFullPassRetry(true);
      this.options.deps.logger.error({ err, retryAt: this.fullPassRetryAt }, 'engine: full pass failed; will try again');
      for (const w of waiters) w.reject(err);
    } finally {
      this.busy -= 1;
    }
  }

  private fullPassRetryAt = 0;
  private fullPassFailures = 0;

  private scheduleFullPassRetry(failed: boolean): void {
    this.fullPassFailures = failed ? this.fullPassFailures + 1 : 0;
    this.fullPassRetryAt = failed ? Date.now() + Math.min(60_000, 500 * 2 ** (this.fullPassFailures - 1)) : 0;
  }

  /** Schedules a full pass for the next idle moment and resolves when it has run. */
  requestFullPass(): Promise<FullPassResult> {
    this.fullPassDue = true;
    const done = new Promise<FullPassResult>((resolve, reject) => this.fullPassWaiters.push({ resolve, reject }));
    this.options.wake?.();
    return done;
  }

  status(): IncrementalStatus {
    return {
      mu: this.model.tally ? this.model.mu : Number.NaN,
      muAtLastFullPass: this.muAtFullPass,
      epsilon: this.model.epsilon,
      fullPassDue: this.fullPassDue,
      lastFullPassRunId: this.lastFullPassRunId,
      eventsApplied: this.eventsApplied,
      modelBuiltAt: this.model.builtAt,
    };
  }

  /**
   * The model for read-only views (the admin pages), kept current event by event — so a page never
   * rebuilds it after a rating. When a sync, a page's action or another process moved the data under it,
   * it catches up here, unless a batch or a full pass is in flight (the page then reads the model as it is).
   */
  viewModel(): LiveModel {
    if (this.busy === 0 && this.model.tally) this.catchUpWithCache();
    return this.model;
  }

  /** Batches and full passes in flight (the model is being changed). */
  private busy = 0;

  private async applyBatch(events: InboxEvent[], results: Map<number, EventResult>): Promise<void> {
    this.busy += 1;
    try {
      await this.applyBatchNow(events, results);
    } finally {
      this.busy -= 1;
    }
  }

  private async applyBatchNow(events: InboxEvent[], results: Map<number, EventResult>): Promise<void> {
    const { model } = this;
    const ok = (event: InboxEvent, outcome: Outcome, runId: number | null = null) =>
      results.set(event.id, { id: event.id, ok: true, outcome, runId });
    this.catchUpWithCache(); // a sync, or a run by the pages or another process
    await this.reconcilePending();

    const named: Array<{ event: InboxEvent; key: string }> = [];
    for (const event of events) {
      const intent = intentOf(event, model, this.options.machineIdentifier);
      if (intent.kind === 'ignore') ok(event, { ignored: intent.reason });
      else if (intent.kind === 'echo') ok(event, { echo: true });
      else named.push({ event, key: intent.key });
    }
    if (named.length === 0) return;

    const signal = this.abort.signal;
    const read = await readEventItems(this.options.plex, this.repo, this.options.sectionId, [...new Set(named.map((n) => n.key))], signal);
    const targets = { artists: new Set<string>(), albums: new Set<string>() };
    for (const { key } of named) {
      const item = read.found.get(key);
      if (!item || model.kindOf(key) !== null) continue;
      if (item.kind === 'artist') targets.artists.add(key);
      else if (item.albumKey) targets.albums.add(item.albumKey);
    }
    if (targets.artists.size + targets.albums.size > 0) {
      const stored = await fetchSubtrees(this.options.plex, this.repo, (_kind, key) => model.kindOf(key) !== null, targets, signal);
      this.options.deps.logger.info(
        { artists: targets.artists.size, albums: targets.albums.size, items: stored },
        'engine: new items added to the cache',
      );
      this.rebuild();
    }

    // Ownership as it was before the read and as Plex says it is now (before this batch writes anything).
    const before = new Map<string, ReturnType<LiveModel['verdict']>>();
    const after = new Map<string, ReturnType<LiveModel['verdict']>>();
    const applicable: Array<{ event: InboxEvent; key: string }> = [];
    // What the model held for each item before this batch's read (an item named twice is judged once).
    const prior = new Map<string, number | null>();
    for (const { key } of named) if (!prior.has(key)) prior.set(key, model.current.get(key) ?? null);
    // Items the person rated (or cleared): their events are never echoes, and a write of Sagewire's that
    // landed after the person's act is undone by writing the person's rating back.
    const acts = latestPersonActs(named, this.options.deps.store.journal);
    const restores = new Map<string, PersonRestore>();
    for (const { event, key } of named) {
      const item: ReadItem | undefined = read.found.get(key);
      const foreign = read.foreign.get(key);
      if (foreign) ok(event, { ignored: foreign });
      else if (!item) ok(event, { gone: true });
      else if (!acts.has(key) && this.settled(key, item.rating, prior)) ok(event, { echo: true });
      else {
        if (!before.has(key)) {
          before.set(key, model.verdict(key));
          const act = acts.get(key);
          const restore = act ? this.restoreOf(act, item) : null;
          if (restore) {
            restores.set(key, restore);
            this.options.deps.logger.warn(
              { key, person: act!.rating, plex: item.rating },
              "engine: a write of Sagewire's landed after the person rated; writing the person's rating back",
            );
          }
          // With a restore, the subtree is computed as if Plex held the person's rating (it will in a moment).
          model.update(key, { current: restore ? act!.rating : item.rating });
          after.set(key, model.verdict(key));
        }
        applicable.push({ event, key });
      }
    }

    const { groups, unknown } = groupByScope(applicable, model);
    for (const event of unknown) ok(event, { ignored: 'not in the music library' });
    for (const group of groups) {
      if (signal.aborted) break; // the rest stay pending and are applied after the restart
      const newest = group.events[group.events.length - 1];
      try {
        const scope = model.planScope(group.scope);
        const groupRestores = [...new Set(group.events.map((e) => e.item_key!))].flatMap((key) => restores.get(key) ?? []);
        const run = await executeScopePlan(
          { store: this.options.deps.store, writer: this.writer, logger: this.options.deps.logger, dryRun: this.options.dryRun },
          model,
          scope,
          newest.id,
          groupRestores,
        );
        for (const event of group.events) {
          const key = event.item_key!;
          const was = before.get(key);
          const now = after.get(key);
          const outcome: Outcome = {
            writes: run.outcome?.written ?? 0,
            planned: run.planned,
            driftSkipped: run.driftSkipped,
            recomputed: scope.recomputed,
          };
          if (group.events.length > 1) outcome.coalesced = group.events.length;
          if (this.options.dryRun) outcome.dryRun = true;
          if (scope.takeovers.some((t) => t.key === key)) outcome.takeover = key;
          if (scope.optOuts.some((t) => t.key === key)) outcome.optOut = key;
          if (was?.ownership === 'manual' && now?.ownership === 'unrated') outcome.cleared = key;
          if (restores.has(key) && acts.get(key)?.event.id === event.id) outcome.restored = key;
          ok(event, outcome, run.runId);
        }
        this.eventsApplied += group.events.length;
      } catch (err) {
        const error = err instanceof RunCancelled ? err.message : `apply: ${err instanceof Error ? err.message : String(err)}`;
        for (const event of group.events) results.set(event.id, { id: event.id, ok: false, error });
        if (!(err instanceof RunCancelled))
          this.options.deps.logger.warn({ err: String(err), scope: group.scope }, 'engine: a group of events failed; it will be retried');
      }
    }
    this.checkDrift();
  }

  /**
   * Plex holds exactly what Sagewire last did to the item, and the model already knew it: the event is a
   * late echo of Sagewire's own write (an apply's value arriving after an undo cleared it, or after a newer
   * write), or of an undo's clear. Nothing changed, so nothing is recomputed — otherwise a stale echo would
   * re-infer what an undo just cleared. A person's value never matches (Sagewire writes no whole points; a
   * person's clear of an inferred value leaves Plex without the value Sagewire claims).
   */
  private settled(key: string, current: number | null, prior: ReadonlyMap<string, number | null>): boolean {
    if (!sameRating(current, prior.get(key) ?? null)) return false;
    const claim = this.model.claims.get(key);
    if (claim?.optedOut) return false;
    if (claim && claim.writtenValue !== null) return sameRating(current, claim.writtenValue);
    return current === null && this.options.deps.store.journal.latestRatingChange(key)?.operation === 'clear';
  }

  /**
   * The person's act was overwritten by Sagewire when it is the person's last (no later act of theirs on
   * the item has arrived), Plex now holds exactly what Sagewire last wrote to the item (so a write of
   * Sagewire's landed after the act), and a write of Sagewire's to the item was planned, from a read that
   * did not see the act's value, in the minute before the act's event arrived: a write in flight while the
   * person rated. Events arrive in the order the person acts; an act not yet delivered is handled when it
   * arrives, the same way. An event about an item Sagewire has not been writing (replayed, or forged with
   * the secret) only recomputes, as any event does: the payload alone never writes.
   */
  private restoreOf(act: PersonAct, item: ReadItem): PersonRestore | null {
    if (sameRating(item.rating, act.rating)) return null;
    const { journal, sqlite } = this.options.deps.store;
    const last = journal.latestRatingChange(act.key);
    if (!last || !sameRating(last.valueAfter, item.rating)) return null;
    const received = act.event.received_at;
    const overwrite = journal
      .ratingChangesBetween(act.key, received - RACE_WINDOW_MS, received)
      .filter((w) => !sameRating(w.valueBefore, act.rating))
      .pop();
    if (!overwrite) return null;
    if (laterRatingEvents(sqlite, act.key, act.event.id).some((later) => personActOf(later, journal) !== null)) return null;
    return {
      intent: {
        key: act.key,
        kind: item.kind,
        operation: act.rating === null ? 'clear' : 'rate_manual',
        value: act.rating,
        expected: item.rating,
        authority: 'person',
        note: 'restore-person',
      },
      // The person cleared the value Sagewire had inferred (what its write replaced): an opt-out.
      optOut: act.rating === null && overwrite.valueBefore !== null,
    };
  }

  private checkDrift(): void {
    if (this.muAtFullPass === null || this.fullPassDue) return;
    if (Math.abs(this.model.mu - this.muAtFullPass) >= this.model.epsilon) {
      this.fullPassDue = true;
      this.options.deps.logger.info(
        { mu: this.model.mu, muAtLastFullPass: this.muAtFullPass, epsilon: this.model.epsilon },
        'engine: μ moved by ε or more; a full pass is scheduled',
      );
    }
  }

  private async reconcilePending(): Promise<void> {
    const { store, port } = this.options.deps;
    const pending = store.journal.pending();
    if (pending.length === 0) return;
    const outcome = await reconcileJournal(store, port, pending);
    this.options.deps.logger.info(outcome, 'engine: reconciled journal rows left pending');
    if (this.model.tally) this.model.refreshFromStore(pending.map((e) => e.itemKey));
  }

  /**
   * When someone else moved the data under the model (the versions moved by more than this engine's own
   * changes, which the model already holds), else nothing: a library change (a sync, new items, titles,
   * durations) builds the model again; a ratings change (a full pass, undo, import, opt-in…) catches up
   * ratings and claims and keeps the index.
   */
  private catchUpWithCache(): void {
    const now = readDataVersions(this.options.deps.store.sqlite);
    const library = now.library !== this.loadedAt.library + this.own.library;
    const ratings = now.ratings !== this.loadedAt.ratings + this.own.ratings;
    if (library || ratings) this.rebuild(library ? 'all' : 'ratings');
  }

  private rebuild(what: 'all' | 'ratings' = 'all'): void {
    const started = performance.now();
    let how: string = what;
    // Read before loading: a change committed while the model loads is caught up next time.
    const versions = readDataVersions(this.options.deps.store.sqlite);
    if (what === 'all') this.model.build();
    else if (this.model.refreshJournaled()) how = 'journaled items';
    else this.model.refreshRatings();
    this.loadedAt = versions;
    Object.assign(this.own, noChanges());
    // μ at the last full pass, whoever ran it (this engine, the CLI, the Ratings page).
    const lastFull = latestFullPass(this.options.deps.store.sqlite);
    if (lastFull && lastFull.id !== this.lastFullPassRunId && this.fullPassWaiters.length === 0) {
      this.fullPassDue = false; // a newer full pass (maybe the CLI's or the page's) already did the work
      this.scheduleFullPassRetry(false);
    }
    this.muAtFullPass = lastFull?.mu ?? null;
    this.lastFullPassRunId = lastFull?.id ?? null;
    this.checkDrift();
    this.options.deps.logger.info(
      {
        tracks: this.model.index.snapshot.tracks.length,
        mu: this.model.mu,
        ms: Math.round(performance.now() - started),
        what: how,
        phases: this.model.buildPhases,
      },
      'engine: model built',
    );
  }

  /** Runs `work` holding the writer lease, waiting a while for another process (a CLI pass) to finish. */
  private async underLease(work: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + (this.options.leaseWaitMs ?? 20_000);
    for (;;) {
      try {
        return await withWriterLease(this.options.deps.store, work);
      } catch (err) {
        if (!(err instanceof LeaseHeldError) || Date.now() > deadline || this.abort.signal.aborted) throw err;
        await sleep(500, this.abort.signal);
      }
    }
  }

  private link(signal: AbortSignal): void {
    if (this.linked.has(signal)) return;
    this.linked.add(signal);
    if (signal.aborted) this.abort.abort();
    else signal.addEventListener('abort', () => this.abort.abort(), { once: true });
  }
}
