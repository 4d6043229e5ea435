// The journaled writer: sends a plan's rating changes to Plex in batches, crash-safely.
// Per batch: read the items' current values (one multi-id read) → re-derive ownership (takeovers and
// opt-outs found here are recorded, their tag removed) → drop what changed since the plan → journal the
// writes as pending (committed) → guard each item once more → send (`/:/rate` per item, or one several-id
// edit per value in bulk mode) → mark applied → add/remove the inferred tag with several-id edits.
// A send that fails is resolved at once by reading the item back; if Plex cannot be read, the run stops and
// the next writer start reconciles the journal. Cancellation stops after the batch in flight.
import type { Logger } from '../log.js';
import { deriveOwnership } from '../domain/rating/index.js';
import type { JournalEntry, NewJournalEntry } from '../db/engine-journal-repo.js';
import type { JournalOperation } from '../db/tables/engine.js';
import type { EngineStore } from './engine-store.js';
import { probeBulkRating, type ProbeCandidate } from './bulk-probe.js';
import type { CurrentItem, ItemKind, RatingWriterPort } from './rating-port.js';
import { reconcileJournal } from './reconcile.js';
import { sameRating, settleLimited, sleep } from './values.js';
import { assertWritable } from './write-guard.js';

export type WriteMode = 'auto' | 'rate' | 'bulk';

/**
 * One change the writer may send. `expected` is the value the plan saw in Plex: if Plex holds anything
 * else at write time, the item changed since the plan and is left alone. `authority: 'model'` writes
 * (Sagewire's own values, undo of them) pass the ownership guard; `'person'` writes (an imported manual
 * rating, undoing one) pass only the expected-value check.
 */
export interface WriteIntent {
  key: string;
  kind: ItemKind;
  operation: Extract<JournalOperation, 'rate' | 'rate_manual' | 'clear'> | 'check';
  /** The value to write (null for `clear` and `check`). */
  value: number | null;
  expected: number | null;
  authority: 'model' | 'person';
}

export interface WriterOptions {
  mode: WriteMode;
  concurrency: number;
  batchSize: number;
  batchPauseMs: number;
  /** The inferred mood tag; empty disables tagging. */
  inferredTag: string;
  signal?: AbortSignal;
  onProgress?: (progress: WriterProgress) => void;
  /** What became of each intent (for reports: undo, import, the UI's feed). */
  onItem?: (key: string, result: ItemResult) => void;
}

export type ItemResult = 'written' | 'unchanged' | 'changed' | 'deleted' | 'takeover' | 'opt_out' | 'protected' | 'failed' | 'checked';

export interface WriterProgress {
  done: number;
  total: number;
  written: number;
  mode: 'rate' | 'bulk' | 'undecided';
}

export interface WriteOutcome {
  mode: 'rate' | 'bulk';
  intents: number;
  written: number;
  /** Plex already held the value. */
  unchanged: number;
  /** The person rated (or Plex changed) the item since the plan. */
  changedSinceSync: number;
  deleted: number;
  takeovers: number;
  optOuts: number;
  /** Refused by the ownership guard (should stay 0: the batch read filters these first). */
  protectedItems: number;
  tagsAdded: number;
  tagsRemoved: number;
  /** Sends that failed and were resolved by reading back as not applied. */
  failed: number;
  cancelled: boolean;
}

interface Prepared {
  intent: WriteIntent;
  before: number | null;
  moods: readonly string[];
  /** Set by the probe when the item holds a probe value of Sagewire's that is not in the state yet. */
  probeRepair?: boolean;
}

const KIND_ORDER: Record<ItemKind, number> = { artist: 0, album: 1, track: 2 };

export class RatingWriter {
  private mode: 'rate' | 'bulk' | 'undecided';

  constructor(
    private readonly store: EngineStore,
    private readonly port: RatingWriterPort,
    private readonly logger: Logger,
    private readonly options: WriterOptions,
  ) {
    this.mode = options.mode === 'auto' ? 'undecided' : options.mode;
  }

  async execute(runId: number, intents: readonly WriteIntent[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = {
      mode: this.mode === 'bulk' ? 'bulk' : 'rate', intents: intents.length, written: 0, unchanged: 0, changedSinceSync: 0, deleted: 0,
      takeovers: 0, optOuts: 0, protectedItems: 0, tagsAdded: 0, tagsRemoved: 0, failed: 0, cancelled: false,
    };
    // Ownership checks first, then writes grouped by kind and value (so bulk groups are large).
    const ordered = [...intents].sort(
      (a, b) =>
        Number(a.operation !== 'check') - Number(b.operation !== 'check') ||
        KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
        (a.value ?? -1) - (b.value ?? -1) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    const { batchSize, signal } = this.options;
    let done = 0;
    for (let i = 0; i < ordered.length; i += batchSize) {
      if (signal?.aborted) {
        outcome.cancelled = true;
        break;
      }
      if (i > 0) await sleep(this.options.batchPauseMs, signal);
      const batch = ordered.slice(i, i + batchSize);
      await this.writeBatch(runId, batch, outcome);
      done += batch.length;
      this.options.onProgress?.({ done, total: ordered.length, written: outcome.written, mode: this.mode });
    }
    outcome.mode = this.mode === 'bulk' ? 'bulk' : 'rate';
    return outcome;
  }

  private async writeBatch(runId: number, batch: readonly WriteIntent[], outcome: WriteOutcome): Promise<void> {
    const live = await this.port.readCurrent(batch.map((b) => b.key), this.options.signal);
    const tag = this.options.inferredTag;
    const toSend: Prepared[] = [];
    const stateOnly: NewJournalEntry[] = [];
    const tagRemovals: Array<{ key: string; kind: ItemKind }> = [];
    const tagAdds: Array<{ key: string; kind: ItemKind }> = [];

    for (const intent of batch) {
      const current = live.get(intent.key);
      const claim = this.store.state.get(intent.key);
      if (!current) {
        outcome.deleted += 1;
        this.report(intent.key, 'deleted');
        if (claim) stateOnly.push({ itemKey: intent.key, kind: intent.kind, operation: 'forget', valueBefore: claim.writtenValue, valueAfter: null, note: 'deleted' });
        continue;
      }
      const verdict = deriveOwnership({ written: claim?.writtenValue ?? null, optedOut: claim?.optedOut ?? false, current: current.rating });
      if (verdict.transition === 'takeover' || verdict.transition === 'opt_out') {
        const takeover = verdict.transition === 'takeover';
        outcome[takeover ? 'takeovers' : 'optOuts'] += 1;
        this.report(intent.key, takeover ? 'takeover' : 'opt_out');
        stateOnly.push({ itemKey: intent.key, kind: intent.kind, operation: takeover ? 'adopt' : 'opt_out', valueBefore: claim?.writtenValue ?? null, valueAfter: current.rating });
        if (tag && current.moods.includes(tag)) tagRemovals.push({ key: intent.key, kind: intent.kind });
        continue;
      }
      const tagged = tag !== '' && current.moods.includes(tag);
      if (verdict.transition === 'rated_after_opt_out') {
        // The person rated an item they had opted out of: it is theirs now, and clearing it later makes it
        // unrated, not opted out again.
        stateOnly.push({ itemKey: intent.key, kind: intent.kind, operation: 'forget', valueBefore: null, valueAfter: current.rating, note: 'rated-after-opt-out' });
      }
      if (intent.operation === 'check') {
        // Ownership is settled; make the inferred tag agree with it.
        if (tag && verdict.ownership === 'inferred' && !tagged) tagAdds.push(intent);
        if (tag && verdict.ownership !== 'inferred' && tagged) tagRemovals.push(intent);
        this.report(intent.key, 'checked');
        continue;
      }
      if (!sameRating(current.rating, intent.expected)) {
        outcome.changedSinceSync += 1;
        this.report(intent.key, 'changed');
        continue;
      }
      if (intent.authority === 'model' && (verdict.ownership === 'manual' || verdict.ownership === 'opted_out')) {
        outcome.protectedItems += 1;
        this.report(intent.key, 'protected');
        continue;
      }
      if (sameRating(current.rating, intent.value)) {
        outcome.unchanged += 1;
        this.report(intent.key, 'unchanged');
        if (tag && intent.operation === 'rate' && verdict.ownership === 'inferred' && !tagged) tagAdds.push(intent);
        continue;
      }
      toSend.push({ intent, before: current.rating, moods: current.moods });
    }
    if (stateOnly.length > 0) this.store.journal.record(runId, stateOnly);

    if (this.mode === 'undecided') await this.decideMode(runId, toSend, outcome);

    const applied = await this.send(runId, toSend, outcome);
    // The inferred tag follows ownership: on for Sagewire's values, off when the person's (or none) remain.
    if (tag) {
      for (const item of applied) {
        const inferredNow = item.intent.operation === 'rate';
        const tagged = item.moods.includes(tag);
        if (inferredNow && !tagged) tagAdds.push(item.intent);
        if (!inferredNow && tagged) tagRemovals.push(item.intent);
      }
      outcome.tagsAdded += await this.editTag(runId, tagAdds, 'tag_add');
      outcome.tagsRemoved += await this.editTag(runId, tagRemovals, 'tag_remove');
    }
  }

  /** Auto mode: probe on the first two writable items of one kind; the probe's writes count as real ones. */
  private async decideMode(runId: number, toSend: Prepared[], outcome: WriteOutcome): Promise<void> {
    const byKind = new Map<ItemKind, Prepared[]>();
    for (const p of toSend) {
      if (p.intent.operation !== 'rate' || p.intent.authority !== 'model') continue;
      const list = byKind.get(p.intent.kind) ?? [];
      list.push(p);
      byKind.set(p.intent.kind, list);
    }
    const pair = [...byKind.values()].find((list) => list.length >= 2);
    if (!pair) return; // decide on a later batch
    const candidates: ProbeCandidate[] = pair.slice(0, 2).map((p) => ({ key: p.intent.key, kind: p.intent.kind, before: p.before, target: p.intent.value! }));
    const result = await probeBulkRating(this.store, this.port, runId, candidates, (key) => this.guard(key, toSend));
    this.mode = result.honoured ? 'bulk' : 'rate';
    this.store.runs.describe(runId, { writeMode: this.mode });
    this.logger.info({ runId, mode: this.mode, detail: result.detail }, 'writer: rating write mode chosen');
    // Items the probe left at their target are done; the others continue from what Plex now holds.
    for (const candidate of result.items) {
      const index = toSend.findIndex((p) => p.intent.key === candidate.key);
      if (index < 0) continue;
      const prepared = toSend[index];
      if (sameRating(candidate.now, prepared.intent.value)) {
        toSend.splice(index, 1);
        outcome.written += 1;
        this.report(prepared.intent.key, 'written');
        const tag = this.options.inferredTag;
        if (tag && !prepared.moods.includes(tag)) outcome.tagsAdded += await this.editTag(runId, [prepared.intent], 'tag_add');
      } else {
        prepared.before = candidate.now;
        prepared.probeRepair = candidate.claimed ? undefined : !sameRating(candidate.now, candidate.before);
      }
    }
  }

  /** Journals and sends the batch's writes; returns the ones Plex accepted. */
  private async send(runId: number, toSend: readonly Prepared[], outcome: WriteOutcome): Promise<Prepared[]> {
    if (toSend.length === 0) return [];
    const ids = this.store.journal.addPending(
      runId,
      toSend.map((p) => ({ itemKey: p.intent.key, kind: p.intent.kind, operation: p.intent.operation as JournalOperation, valueBefore: p.before, valueAfter: p.intent.value, note: p.probeRepair ? 'after-probe' : null })),
    );
    const idOf = new Map(toSend.map((p, i) => [p, ids[i]]));
    const groups: Prepared[][] = [];
    if (this.mode === 'bulk') {
      const byValue = new Map<string, Prepared[]>();
      for (const p of toSend) {
        if (p.intent.operation !== 'rate' || p.probeRepair) {
          groups.push([p]);
          continue;
        }
        const groupKey = `${p.intent.kind}:${p.intent.value}`;
        byValue.set(groupKey, [...(byValue.get(groupKey) ?? []), p]);
      }
      groups.push(...byValue.values());
    } else {
      for (const p of toSend) groups.push([p]);
    }

    const results = await settleLimited(groups, this.options.concurrency, async (group) => {
      const sendable = group.filter((p) => this.guard(p.intent.key, toSend, p));
      if (sendable.length === 0) return [];
      const first = sendable[0].intent;
      if (sendable.length > 1 || (this.mode === 'bulk' && first.operation === 'rate' && !sendable[0].probeRepair)) {
        await this.port.bulkRate(first.kind, sendable.map((p) => p.intent.key), first.value!);
      } else {
        await this.port.rate(first.key, first.operation === 'clear' ? null : first.value);
      }
      return sendable;
    });

    const applied: Prepared[] = [];
    const failed: Prepared[] = [];
    const refused: Prepared[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        applied.push(...result.value);
        refused.push(...groups[i].filter((p) => !result.value.includes(p)));
      } else {
        failed.push(...groups[i]);
        this.logger.warn({ runId, keys: groups[i].map((p) => p.intent.key), err: String(result.reason) }, 'writer: a write failed; reading it back');
      }
    });
    this.store.journal.markApplied(applied.map((p) => idOf.get(p)!));
    if (refused.length > 0) {
      this.store.journal.markDropped(refused.map((p) => idOf.get(p)!), 'refused-by-guard');
      outcome.protectedItems += refused.length;
    }
    outcome.written += applied.length;
    if (failed.length > 0) {
      // Did Plex apply them before failing? Reading back decides; a read failure stops the run.
      const entries = failed.map((p) => ({ ...this.pendingEntry(runId, p), id: idOf.get(p)! }));
      const resolved = await reconcileJournal(this.store, this.port, entries);
      outcome.written += resolved.applied;
      outcome.failed += resolved.dropped;
      if (resolved.applied > 0) {
        const states = new Map(this.store.journal.forRun(runId).map((e) => [e.id, e.status]));
        applied.push(...failed.filter((p) => states.get(idOf.get(p)!) === 'applied'));
      }
    }
    const appliedSet = new Set(applied);
    for (const p of toSend) this.report(p.intent.key, appliedSet.has(p) ? 'written' : refused.includes(p) ? 'protected' : 'failed');
    return applied;
  }

  private report(key: string, result: ItemResult): void {
    this.options.onItem?.(key, result);
  }

  /** The last-moment check before a request carries this item (see write-guard.ts). */
  private guard(key: string, batch: readonly Prepared[], prepared = batch.find((p) => p.intent.key === key)): boolean {
    if (!prepared || prepared.intent.authority !== 'model' || prepared.probeRepair) return true;
    try {
      assertWritable(this.store.state.get(key), prepared.before);
      return true;
    } catch (err) {
      this.logger.error({ key, err: String(err) }, 'writer: refused to write an item the person owns');
      return false;
    }
  }

  private async editTag(runId: number, items: ReadonlyArray<{ key: string; kind: ItemKind }>, operation: 'tag_add' | 'tag_remove'): Promise<number> {
    const tag = this.options.inferredTag;
    if (!tag || items.length === 0) return 0;
    let done = 0;
    const byKind = new Map<ItemKind, string[]>();
    for (const item of items) byKind.set(item.kind, [...(byKind.get(item.kind) ?? []), item.key]);
    for (const [kind, keys] of byKind) {
      const ids = this.store.journal.addPending(runId, keys.map((key) => ({ itemKey: key, kind, operation, valueBefore: null, valueAfter: null, tag })));
      try {
        await this.port.editMoods(kind, keys, operation === 'tag_add' ? { add: [tag] } : { remove: [tag] });
        this.store.journal.markApplied(ids);
        done += keys.length;
      } catch (err) {
        this.logger.warn({ runId, kind, count: keys.length, err: String(err) }, 'writer: a tag edit failed; reading it back');
        const entries = this.store.journal.forRun(runId).filter((e) => ids.includes(e.id));
        done += (await reconcileJournal(this.store, this.port, entries)).applied;
      }
    }
    return done;
  }

  private pendingEntry(runId: number, p: Prepared): Omit<JournalEntry, 'id'> {
    return {
      runId, itemKey: p.intent.key, kind: p.intent.kind, operation: p.intent.operation as JournalOperation, valueBefore: p.before,
      valueAfter: p.intent.value, tag: null, status: 'pending', note: null, createdAt: Date.now(), resolvedAt: null, undoneByRunId: null,
    };
  }
}

export type { CurrentItem };
