// The journaled writer: sends a run's rating changes to Plex crash-safely, each item read immediately
// before the request that carries it.
//   1. Ownership checks (takeovers, opt-outs, tag fixes), in units of one multi-id read each.
//   2. Auto mode: probes whether a several-id edit sets (and, separately, clears) ratings like `/:/rate`.
//   3. The writes are grouped by (kind, operation, value) across the whole run — one several-id edit per
//      group in bulk mode (split only at WRITE_BATCH_SIZE ids), one `/:/rate` per item otherwise — and the
//      requests are packed into send units of at most WRITE_CONCURRENCY requests and WRITE_BATCH_SIZE items.
//   4. Per unit: one multi-id read of exactly its items → re-derive ownership (takeovers and opt-outs found
//      here are recorded) → drop what changed since the plan → the last-moment guard → journal the writes
//      and the tag edits they imply as pending, in one transaction → start every request of the unit. No
//      await stands between the read and the requests, and no read is held across a queue.
//   5. Plex accepted → applied. A request that fails is resolved at once by reading its items back; if
//      Plex cannot be read, the run stops and the next writer start reconciles the journal.
//   6. Inferred-tag edits are journaled with the change that implies them and sent in several-id edits
//      per kind (flushed every WRITE_BATCH_SIZE items and at the end); a failed one is re-read and re-sent
//      (reconcile.ts), never dropped.
// Cancellation stops after the unit in flight.
import type { Logger } from '../../log.js';
import { deriveOwnership } from '../../domain/rating/index.js';
import type { JournalEntry, NewJournalEntry } from '../../db/engine-journal-repo.js';
import type { JournalOperation } from '../../db/tables/engine.js';
import type { EngineStore } from '../core/engine-store.js';
import { probeBulkRating } from './bulk-probe.js';
import type { CurrentItem, ItemKind, RatingWriterPort } from '../core/rating-port.js';
import { reconcileJournal } from './reconcile.js';
import { sameRating, sleep } from '../core/values.js';
import { assertWritable } from './write-guard.js';

export type WriteMode = 'auto' | 'rate' | 'bulk';

type RatingOperation = Extract<JournalOperation, 'rate' | 'rate_manual' | 'clear'>;

/**
 * One change the writer may send. `expected` is the value the plan saw in Plex: if Plex holds anything
 * else at write time, the item changed since the plan and is left alone. `authority: 'model'` writes
 * (Sagewire's own values, undo of them) pass the ownership guard; `'person'` writes (an imported manual
 * rating, undoing one) pass only the expected-value check.
 */
export interface WriteIntent {
  key: string;
  kind: ItemKind;
  operation: RatingOperation | 'check';
  /** The value to write (null for `clear` and `check`). */
  value: number | null;
  expected: number | null;
  authority: 'model' | 'person';
  /** Journaled with the write (e.g. `restore-person`). */
  note?: string | null;
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
  /** Refused by the ownership guard (should stay 0: the unit's read filters these first). */
  protectedItems: number;
  tagsAdded: number;
  tagsRemoved: number;
  /** Sends that failed and were resolved by reading back as not applied. */
  failed: number;
  /** Rating requests sent (`/:/rate` and several-id edits, probes included). */
  ratingRequests: number;
  cancelled: boolean;
}

/** One request: a `/:/rate` of one item, or a several-id edit of items sharing kind, operation and value. */
interface Request {
  kind: ItemKind;
  operation: RatingOperation;
  value: number | null;
  bulk: boolean;
  intents: WriteIntent[];
}

interface Prepared {
  intent: WriteIntent;
  before: number | null;
  moods: readonly string[];
}

/** A tag edit journaled as pending, waiting for its several-id edit. */
interface QueuedTag {
  id: number;
  key: string;
  kind: ItemKind;
  operation: 'tag_add' | 'tag_remove';
}

/** What reading a unit's items decided, before anything is committed. */
interface Evaluation {
  send: Map<string, Prepared>;
  stateOnly: NewJournalEntry[];
  tags: Array<{ key: string; kind: ItemKind; operation: 'tag_add' | 'tag_remove' }>;
}

const KIND_ORDER: Record<ItemKind, number> = { artist: 0, album: 1, track: 2 };
const byKindThenKey = (a: WriteIntent, b: WriteIntent) =>
  KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export class RatingWriter {
  /** Several-id edits that set a value: decided by the probe in auto mode. */
  private mode: 'rate' | 'bulk' | 'undecided';
  /** Several-id clears: probed on their own whenever several-id edits may be used. */
  private clearMode: 'rate' | 'bulk' | 'undecided';
  private tagQueue: QueuedTag[] = [];

  constructor(
    private readonly store: EngineStore,
    private readonly port: RatingWriterPort,
    private readonly logger: Logger,
    private readonly options: WriterOptions,
  ) {
    this.mode = options.mode === 'auto' ? 'undecided' : options.mode;
    this.clearMode = options.mode === 'rate' ? 'rate' : 'undecided';
  }

  async execute(runId: number, intents: readonly WriteIntent[]): Promise<WriteOutcome> {
    const outcome: WriteOutcome = {
      mode: this.mode === 'bulk' ? 'bulk' : 'rate',
      intents: intents.length,
      written: 0,
      unchanged: 0,
      changedSinceSync: 0,
      deleted: 0,
      takeovers: 0,
      optOuts: 0,
      protectedItems: 0,
      tagsAdded: 0,
      tagsRemoved: 0,
      failed: 0,
      ratingRequests: 0,
      cancelled: false,
    };
    const { batchSize, signal } = this.options;
    const total = intents.length;
    let done = 0;
    let first = true;
    const progress = () => this.options.onProgress?.({ done, total, written: outcome.written, mode: this.mode });
    const pause = async () => {
      if (!first) await sleep(this.options.batchPauseMs, signal);
      first = false;
    };
    this.tagQueue = [];
    try {
      const checks = intents.filter((i) => i.operation === 'check').sort(byKindThenKey);
      for (let i = 0; i < checks.length && !outcome.cancelled; i += batchSize) {
        if (signal?.aborted) outcome.cancelled = true;
        else {
          await pause();
          const chunk = checks.slice(i, i + batchSize);
          await this.sendUnit(runId, [], chunk, outcome);
          done += chunk.length;
          progress();
        }
      }

      let writes = intents.filter((i) => i.operation !== 'check');
      if (!outcome.cancelled && !signal?.aborted) {
        const probed = await this.probe(runId, writes, outcome);
        done += writes.length - probed.length;
        writes = probed;
      }
      for (const unit of this.pack(this.requestsFor(writes))) {
        if (outcome.cancelled || signal?.aborted) {
          outcome.cancelled = true;
          break;
        }
        await pause();
        await this.sendUnit(runId, unit, [], outcome);
        done += unit.reduce((n, r) => n + r.intents.length, 0);
        progress();
        await this.flushTags(runId, outcome, false);
      }
    } finally {
      // Journaled tag edits go out even when the run stops early; any left pending are sent by reconcile.
      if (this.tagQueue.length > 0) await this.flushTags(runId, outcome, true);
    }
    outcome.mode = this.mode === 'bulk' ? 'bulk' : 'rate';
    return outcome;
  }

  /** The run's writes as requests: grouped by (kind, operation, value) over the whole run where bulk applies. */
  private requestsFor(writes: readonly WriteIntent[]): Request[] {
    const { batchSize } = this.options;
    const requests: Request[] = [];
    const groups = new Map<string, WriteIntent[]>();
    for (const intent of [...writes].sort(byKindThenKey)) {
      const operation = intent.operation as RatingOperation;
      const bulk = operation === 'clear' ? this.clearMode === 'bulk' : this.mode === 'bulk';
      if (!bulk) {
        requests.push({ kind: intent.kind, operation, value: intent.value, bulk: false, intents: [intent] });
        continue;
      }
      const id = `${intent.kind}\u0000${operation}\u0000${intent.value}`;
      groups.set(id, [...(groups.get(id) ?? []), intent]);
    }
    for (const members of groups.values()) {
      for (let i = 0; i < members.length; i += batchSize) {
        const chunk = members.slice(i, i + batchSize);
        const { kind, operation, value } = chunk[0];
        requests.push({ kind, operation: operation as RatingOperation, value, bulk: true, intents: chunk });
      }
    }
    const opOrder = (r: Request) => (r.operation === 'clear' ? 0 : r.operation === 'rate_manual' ? 1 : 2);
    return requests.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || opOrder(a) - opOrder(b) || (a.value ?? -1) - (b.value ?? -1));
  }

  /** Packs requests into send units: at most `concurrency` requests and `batchSize` items each. */
  private pack(requests: readonly Request[]): Request[][] {
    const { batchSize } = this.options;
    const concurrency = Math.max(1, this.options.concurrency);
    const units: Request[][] = [];
    let unit: Request[] = [];
    let items = 0;
    for (const request of requests) {
      if (unit.length > 0 && (unit.length >= concurrency || items + request.intents.length > batchSize)) {
        units.push(unit);
        unit = [];
        items = 0;
      }
      unit.push(request);
      items += request.intents.length;
    }
    if (unit.length > 0) units.push(unit);
    return units;
  }

  /**
   * Reads exactly the unit's items, re-checks them, journals, and starts every request — with no await
   * between the read and the requests. Then resolves what Plex took.
   */
  private async sendUnit(
    runId: number,
    requests: readonly Request[],
    checks: readonly WriteIntent[],
    outcome: WriteOutcome,
  ): Promise<void> {
    const intents = [...checks, ...requests.flatMap((r) => r.intents)];
    if (intents.length === 0) return;
    const live = await this.port.readCurrent(
      intents.map((i) => i.key),
      this.options.signal,
    );
    // ---- from here to the requests: synchronous ----
    const evaluation = this.evaluate(intents, live, outcome);
    const sends: Array<{ request: Request; items: Prepared[] }> = [];
    for (const request of requests) {
      const items = request.intents
        .map((i) => evaluation.send.get(i.key))
        .filter((p): p is Prepared => p !== undefined && this.guard(p, outcome));
      if (items.length > 0) sends.push({ request, items });
    }
    const tag = this.options.inferredTag;
    const rows: NewJournalEntry[] = [];
    const implied: Array<{ index: number; tagIndex: number | null }> = [];
    const tagRows = tagJournalRows(evaluation, tag);
    for (const { items } of sends) {
      for (const p of items) {
        rows.push({
          itemKey: p.intent.key,
          kind: p.intent.kind,
          operation: p.intent.operation as JournalOperation,
          valueBefore: p.before,
          valueAfter: p.intent.value,
          note: p.intent.note ?? null,
        });
        // The tag follows ownership after the write: on for Sagewire's values, off when the person's (or none) remain.
        const tagged = p.moods.includes(tag);
        const inferredNow = p.intent.operation === 'rate';
        let tagIndex: number | null = null;
        if (tag && inferredNow !== tagged) {
          tagIndex = tagRows.length;
          tagRows.push({
            itemKey: p.intent.key,
            kind: p.intent.kind,
            operation: inferredNow ? 'tag_add' : 'tag_remove',
            valueBefore: null,
            valueAfter: null,
            tag,
          });
        }
        implied.push({ index: rows.length - 1, tagIndex });
      }
    }
    const { ids, tagIds } = this.store.sqlite.transaction(() => {
      if (evaluation.stateOnly.length > 0) this.store.journal.record(runId, evaluation.stateOnly);
      return { ids: this.store.journal.addPending(runId, rows), tagIds: this.store.journal.addPending(runId, tagRows) };
    })();
    const settled = Promise.allSettled(sends.map(({ request, items }) => this.sendRequest(request, items)));
    // ---- requests started ----
    outcome.ratingRequests += sends.length;
    const results = await settled;

    // Tag edits of ownership changes found by the read go out with the next flush.
    const writeTagIds = new Set(implied.flatMap((x) => (x.tagIndex === null ? [] : [tagIds[x.tagIndex]])));
    tagRows.forEach((row, i) => {
      if (!writeTagIds.has(tagIds[i]))
        this.tagQueue.push({ id: tagIds[i], key: row.itemKey, kind: row.kind, operation: row.operation as QueuedTag['operation'] });
    });

    const flat = sends.flatMap((s) => s.items);
    const appliedIds: number[] = [];
    const failed: JournalEntry[] = [];
    let cursor = 0;
    results.forEach((result, i) => {
      const count = sends[i].items.length;
      const rowIds = ids.slice(cursor, cursor + count);
      cursor += count;
      if (result.status === 'fulfilled') appliedIds.push(...rowIds);
      else {
        this.logger.warn(
          { runId, keys: sends[i].items.map((p) => p.intent.key), err: String(result.reason) },
          'writer: a write failed; reading it back',
        );
        failed.push(...this.store.journal.forIds(rowIds));
      }
    });
    this.store.journal.markApplied(appliedIds);
    outcome.written += appliedIds.length;
    if (failed.length > 0) {
      // Did Plex apply them before failing? Reading back decides; a read failure stops the run.
      const resolved = await reconcileJournal(this.store, this.port, failed);
      outcome.written += resolved.applied;
      outcome.failed += resolved.dropped;
    }
    const status = new Map(this.store.journal.forIds(ids).map((e) => [e.id, e.status]));
    const notApplied: number[] = [];
    flat.forEach((p, i) => {
      const applied = status.get(ids[i]) === 'applied';
      this.report(p.intent.key, applied ? 'written' : 'failed');
      const tagIndex = implied[i].tagIndex;
      if (tagIndex === null) return;
      if (applied)
        this.tagQueue.push({
          id: tagIds[tagIndex],
          key: p.intent.key,
          kind: p.intent.kind,
          operation: tagRows[tagIndex].operation as QueuedTag['operation'],
        });
      else notApplied.push(tagIds[tagIndex]);
    });
    if (notApplied.length > 0) this.store.journal.markDropped(notApplied, 'write-not-applied');
  }

  private sendRequest(request: Request, items: readonly Prepared[]): Promise<void> {
    if (request.bulk)
      return this.port.bulkRate(
        request.kind,
        items.map((p) => p.intent.key),
        request.operation === 'clear' ? null : request.value,
      );
    return Promise.all(items.map((p) => this.port.rate(p.intent.key, p.intent.operation === 'clear' ? null : p.intent.value))).then(
      () => undefined,
    );
  }

  /** Ownership and plan checks of freshly read items: what to send, what to record, which tags to fix. */
  private evaluate(intents: readonly WriteIntent[], live: ReadonlyMap<string, CurrentItem>, outcome: WriteOutcome): Evaluation {
    const tag = this.options.inferredTag;
    const evaluation: Evaluation = { send: new Map(), stateOnly: [], tags: [] };
    for (const intent of intents) {
      const current = live.get(intent.key);
      const claim = this.store.state.get(intent.key);
      if (!current) {
        outcome.deleted += 1;
        this.report(intent.key, 'deleted');
        if (claim)
          evaluation.stateOnly.push({
            itemKey: intent.key,
            kind: intent.kind,
            operation: 'forget',
            valueBefore: claim.writtenValue,
            valueAfter: null,
            note: 'deleted',
          });
        continue;
      }
      const tagged = tag !== '' && current.moods.includes(tag);
      const verdict = deriveOwnership({
        written: claim?.writtenValue ?? null,
        optedOut: claim?.optedOut ?? false,
        current: current.rating,
      });
      if (verdict.transition === 'takeover' || verdict.transition === 'opt_out') {
        const takeover = verdict.transition === 'takeover';
        outcome[takeover ? 'takeovers' : 'optOuts'] += 1;
        this.report(intent.key, takeover ? 'takeover' : 'opt_out');
        evaluation.stateOnly.push({
          itemKey: intent.key,
          kind: intent.kind,
          operation: takeover ? 'adopt' : 'opt_out',
          valueBefore: claim?.writtenValue ?? null,
          valueAfter: current.rating,
        });
        if (tagged) evaluation.tags.push({ key: intent.key, kind: intent.kind, operation: 'tag_remove' });
        continue;
      }
      if (verdict.transition === 'rated_after_opt_out') {
        // The person rated an item they had opted out of: it is theirs now, and clearing it later makes it
        // unrated, not opted out again.
        evaluation.stateOnly.push({
          itemKey: intent.key,
          kind: intent.kind,
          operation: 'forget',
          valueBefore: null,
          valueAfter: current.rating,
          note: 'rated-after-opt-out',
        });
      }
      const inferred = verdict.ownership === 'inferred';
      if (intent.operation === 'check') {
        // Ownership is settled; make the inferred tag agree with it.
        if (tag && inferred !== tagged)
          evaluation.tags.push({ key: intent.key, kind: intent.kind, operation: inferred ? 'tag_add' : 'tag_remove' });
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
        if (tag && intent.operation === 'rate' && inferred && !tagged)
          evaluation.tags.push({ key: intent.key, kind: intent.kind, operation: 'tag_add' });
        if (tag && intent.operation !== 'rate' && !inferred && tagged)
          evaluation.tags.push({ key: intent.key, kind: intent.kind, operation: 'tag_remove' });
        continue;
      }
      evaluation.send.set(intent.key, { intent, before: current.rating, moods: current.moods });
    }
    return evaluation;
  }

  /**
   * Auto mode: before the writes are grouped, probe a several-id edit on two items the run writes anyway
   * (a setting probe while that is undecided, a clearing probe likewise). Each probe is a send unit of its
   * own (read, check, journal, send, read back). Returns the intents still to write: the probe's items
   * that did not end at their target come back, expecting what Plex now holds.
   */
  private async probe(runId: number, writes: WriteIntent[], outcome: WriteOutcome): Promise<WriteIntent[]> {
    let pool = writes;
    for (const clearing of [false, true]) {
      for (let attempt = 0; attempt < 3; attempt++) {
        if ((clearing ? this.clearMode : this.mode) !== 'undecided' || this.options.signal?.aborted) break;
        const pair = pickProbePair(pool, clearing);
        if (!pair) break;
        const taken = new Set(pair.map((i) => i.key));
        const rest = pool.filter((i) => !taken.has(i.key));
        const back = await this.probeUnit(runId, pair, clearing, outcome);
        pool = [...rest, ...back];
      }
    }
    return pool;
  }

  private async probeUnit(runId: number, pair: WriteIntent[], clearing: boolean, outcome: WriteOutcome): Promise<WriteIntent[]> {
    const live = await this.port.readCurrent(
      pair.map((i) => i.key),
      this.options.signal,
    );
    // ---- from here to the probe's request: synchronous ----
    const evaluation = this.evaluate(pair, live, outcome);
    const items = pair.map((i) => evaluation.send.get(i.key)).filter((p): p is Prepared => p !== undefined && this.guard(p, outcome));
    const tag = this.options.inferredTag;
    const tagRows = tagJournalRows(evaluation, tag);
    if (items.length < 2) {
      // Not a pair any more: commit what the read found; the writable one is written with the others.
      const ids = this.store.sqlite.transaction(() => {
        if (evaluation.stateOnly.length > 0) this.store.journal.record(runId, evaluation.stateOnly);
        return this.store.journal.addPending(runId, tagRows);
      })();
      tagRows.forEach((row, i) => {
        this.tagQueue.push({ id: ids[i], key: row.itemKey, kind: row.kind, operation: row.operation });
      });
      return items.map((p) => p.intent);
    }
    const value = clearing ? null : items[0].intent.value;
    const wanted = clearing ? 'tag_remove' : 'tag_add';
    for (const p of items) {
      if (tag && p.moods.includes(tag) === clearing)
        tagRows.push({ itemKey: p.intent.key, kind: p.intent.kind, operation: wanted, valueBefore: null, valueAfter: null, tag });
    }
    const tagIds = this.store.sqlite.transaction(() => {
      if (evaluation.stateOnly.length > 0) this.store.journal.record(runId, evaluation.stateOnly);
      return this.store.journal.addPending(runId, tagRows);
    })();
    const result = await probeBulkRating(
      this.store,
      this.port,
      runId,
      items.map((p) => ({ key: p.intent.key, kind: p.intent.kind, before: p.before })),
      value,
    );
    outcome.ratingRequests += 1;
    if (clearing) this.clearMode = result.honoured ? 'bulk' : 'rate';
    else {
      this.mode = result.honoured ? 'bulk' : 'rate';
      this.store.runs.describe(runId, { writeMode: this.mode });
    }
    this.logger.info(
      { runId, mode: this.mode, clearMode: this.clearMode, detail: result.detail },
      `writer: several-id ${clearing ? 'clear' : 'rating'} edits ${result.honoured ? 'used' : 'not used'}`,
    );
    // The probe's own tag rows stand only where ownership now asks for them (a refused probe wrote nothing).
    const dropped: number[] = [];
    tagRows.forEach((row, i) => {
      const now = result.items.find((x) => x.key === row.itemKey);
      const inferred =
        now !== undefined &&
        now.now !== undefined &&
        this.store.state.get(row.itemKey)?.writtenValue != null &&
        sameRating(now.now, this.store.state.get(row.itemKey)!.writtenValue);
      if (now && inferred !== (row.operation === 'tag_add')) dropped.push(tagIds[i]);
      else this.tagQueue.push({ id: tagIds[i], key: row.itemKey, kind: row.kind, operation: row.operation });
    });
    if (dropped.length > 0) this.store.journal.markDropped(dropped, 'write-not-applied');
    const back: WriteIntent[] = [];
    for (const p of items) {
      const now = result.items.find((i) => i.key === p.intent.key)!.now;
      if (now === undefined) {
        outcome.deleted += 1;
        this.report(p.intent.key, 'deleted');
      } else if (sameRating(now, p.intent.value)) {
        outcome.written += 1;
        this.report(p.intent.key, 'written');
      } else back.push({ ...p.intent, expected: now });
    }
    return back;
  }

  private report(key: string, result: ItemResult): void {
    this.options.onItem?.(key, result);
  }

  /** The last-moment check, on the read just made, before a request carries this item (see write-guard.ts). */
  private guard(prepared: Prepared, outcome: WriteOutcome): boolean {
    if (prepared.intent.authority !== 'model') return true;
    try {
      assertWritable(this.store.state.get(prepared.intent.key), prepared.before);
      return true;
    } catch (err) {
      outcome.protectedItems += 1;
      this.report(prepared.intent.key, 'protected');
      this.logger.error({ key: prepared.intent.key, err: String(err) }, 'writer: refused to write an item the person owns');
      return false;
    }
  }

  /** Sends queued tag edits, several ids per request; all of them when `all`, else only full requests. */
  private async flushTags(runId: number, outcome: WriteOutcome, all: boolean): Promise<void> {
    const tag = this.options.inferredTag;
    if (!tag || this.tagQueue.length === 0) return;
    const { batchSize } = this.options;
    const groups = new Map<string, QueuedTag[]>();
    for (const queued of this.tagQueue) {
      const id = `${queued.kind}\u0000${queued.operation}`;
      groups.set(id, [...(groups.get(id) ?? []), queued]);
    }
    const keep: QueuedTag[] = [];
    const chunks: QueuedTag[][] = [];
    for (const members of groups.values()) {
      for (let i = 0; i < members.length; i += batchSize) {
        const chunk = members.slice(i, i + batchSize);
        if (!all && chunk.length < batchSize) keep.push(...chunk);
        else chunks.push(chunk);
      }
    }
    this.tagQueue = keep;
    for (const chunk of chunks) {
      const { kind, operation } = chunk[0];
      const counter = operation === 'tag_add' ? 'tagsAdded' : 'tagsRemoved';
      const ids = chunk.map((q) => q.id);
      try {
        await this.port.editMoods(
          kind,
          [...new Set(chunk.map((q) => q.key))],
          operation === 'tag_add' ? { add: [tag] } : { remove: [tag] },
        );
        this.store.journal.markApplied(ids);
        outcome[counter] += chunk.length;
      } catch (err) {
        // Read back and send again what ownership still asks for; if that fails too, the rows stay
        // pending and the run stops (TagEditsPending): the next reconcile sends them.
        this.logger.warn({ runId, kind, count: chunk.length, err: String(err) }, 'writer: a tag edit failed; reading it back');
        outcome[counter] += (await reconcileJournal(this.store, this.port, this.store.journal.forIds(ids))).applied;
      }
    }
  }
}

/** Two writes for a probe: same kind, the same value if possible (so both end at their target). */
type TagOperation = Evaluation['tags'][number]['operation'];

/** The journal rows of the tag edits an evaluation asks for (they carry no rating). */
function tagJournalRows(evaluation: Evaluation, tag: string): Array<NewJournalEntry & { operation: TagOperation }> {
  return evaluation.tags.map((t) => ({ itemKey: t.key, kind: t.kind, operation: t.operation, valueBefore: null, valueAfter: null, tag }));
}

function pickProbePair(pool: readonly WriteIntent[], clearing: boolean): WriteIntent[] | null {
  const fit = pool.filter((i) => !i.note && (clearing ? i.operation === 'clear' : i.operation === 'rate' && i.authority === 'model'));
  const byValue = new Map<string, WriteIntent[]>();
  const byKind = new Map<ItemKind, WriteIntent[]>();
  for (const intent of fit) {
    const id = `${intent.kind}\u0000${intent.value}`;
    byValue.set(id, [...(byValue.get(id) ?? []), intent]);
    byKind.set(intent.kind, [...(byKind.get(intent.kind) ?? []), intent]);
  }
  const same = [...byValue.values()].sort((a, b) => b.length - a.length).find((list) => list.length >= 2);
  if (same) return same.slice(0, 2);
  const kind = [...byKind.values()].find((list) => list.length >= 2);
  return kind ? kind.slice(0, 2) : null;
}

export type { CurrentItem };
