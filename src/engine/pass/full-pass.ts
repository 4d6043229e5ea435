// The full pass: (sync) → derive ownership → compute every value → plan → execute (or show, for a dry run).
//   ownership per item from rating_state and Plex's cached value (domain deriveOwnership)
//   fit = fitRatingModel(index, {manual, optedOut}, params)   (a full pass always refits; the run records it)
//   values = computeAll(index, {manual, optedOut}, params, terms of the fit); plan = planWrites(values, …, ε, kinds)
// Executing reconciles the journal first (under the writer lease), then hands the plan to the writer, which
// re-reads every batch from Plex before writing it.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  buildLibraryIndex,
  computeAll,
  deriveOwnership,
  epsilonFor,
  fitRatingModel,
  modelTerms,
  planWrites,
  type LibrarySnapshot,
  type ModelFit,
  type OutsideCounts,
  type OwnershipVerdict,
  type PlannedWrite,
  type RatingParams,
} from '../../domain/rating/index.js';
import { moodTaggedKeys } from '../../db/library-snapshot-reads.js';
import type { Logger } from '../../log.js';
import type { EngineStore } from '../core/engine-store.js';
import { loadCachedLibrary } from '../../library/snapshot.js';
import type { ItemKind, RatingWriterPort } from '../core/rating-port.js';
import { reconcileJournal, type ReconcileOutcome } from '../writer/reconcile.js';
import { RatingWriter, type WriteIntent, type WriteMode, type WriteOutcome, type WriterProgress } from '../writer/writer.js';
import { countOwnership, type OwnershipCounts } from '../core/ownership-counts.js';

export interface WriterSettings {
  mode: WriteMode;
  concurrency: number;
  batchSize: number;
  batchPauseMs: number;
}

/** What every engine service is built from; the live worker and the admin UI build the same. */
export interface EngineDeps {
  store: EngineStore;
  port: RatingWriterPort;
  logger: Logger;
  params: RatingParams;
  /** The inferred mood tag; empty disables tagging. */
  inferredTag: string;
  writer: WriterSettings;
}

export interface OwnershipChange {
  key: string;
  kind: ItemKind;
  written: number | null;
  current: number | null;
}

export interface PassPlan {
  mu: number;
  kappa: number | null;
  epsilon: number;
  trackCount: number;
  writes: PlannedWrite[];
  driftSkipped: number;
  protectedItems: number;
  takeovers: OwnershipChange[];
  optOuts: OwnershipChange[];
  /** Items whose cached inferred tag disagrees with their ownership. */
  tagFixes: OwnershipChange[];
  /** Every artist, album and track by who owns its rating (the definition in ownership-counts.ts). */
  ownership: OwnershipCounts;
  /** Items left alone because the person limited inference (infer.kinds, exclude.*), and why. */
  outside: OutsideCounts;
  /** The model the values were computed with: fitted constants, cross-validated candidates, the choice. */
  fit: ModelFit;
  /** Milliseconds from reading the cache to the finished plan (the fit included). */
  computeMs: number;
  /** Where those milliseconds went. */
  phases: { load: number; ownership: number; index: number; fit: number; values: number; plan: number };
  snapshot: LibrarySnapshot;
}

/** Computes the plan of a full pass from the library cache and the engine state. No I/O beyond SQLite. */
export function planFullPass(store: EngineStore, params: RatingParams, inferredTag = ''): PassPlan {
  const started = performance.now();
  let lap = started;
  const took = (): number => {
    const now = performance.now();
    const ms = now - lap;
    lap = now;
    return ms;
  };
  const { snapshot, current } = loadCachedLibrary(store.sqlite);
  const claims = store.state.loadAllByKey();
  const tagged: Record<string, true> = inferredTag ? taggedKeys(store, inferredTag) : Object.create(null);
  const loadMs = took();

  const verdicts = new Map<string, OwnershipVerdict>();
  const manual = new Map<string, number>();
  const optedOut = new Set<string>();
  const takeovers: OwnershipChange[] = [];
  const optOuts: OwnershipChange[] = [];
  const judge = (key: string, kind: ItemKind) => {
    if (verdicts.has(key)) return;
    const claim = claims[key];
    const value = current.get(key) ?? null;
    const verdict = deriveOwnership({ written: claim?.writtenValue ?? null, optedOut: claim?.optedOut ?? false, current: value });
    verdicts.set(key, verdict);
    if (verdict.ownership === 'manual') manual.set(key, value!);
    if (verdict.ownership === 'opted_out') optedOut.add(key);
    if (verdict.transition === 'takeover') takeovers.push({ key, kind, written: claim?.writtenValue ?? null, current: value });
    if (verdict.transition === 'opt_out') optOuts.push({ key, kind, written: claim?.writtenValue ?? null, current: value });
  };
  const kinds: Array<[ItemKind, ReadonlyArray<{ key: string }>]> = [
    ['artist', snapshot.artists],
    ['album', snapshot.albums],
    ['track', snapshot.tracks],
  ];
  for (const [kind, items] of kinds) {
    for (const item of items) if (current.has(item.key) || claims[item.key] !== undefined) judge(item.key, kind);
  }
  const tally = countOwnership(snapshot, (key) => verdicts.get(key)?.ownership ?? 'unrated');
  const ownershipMs = took();

  const index = buildLibraryIndex(snapshot, params);
  const indexMs = took();
  const fit = fitRatingModel(index, { manual, optedOut }, params);
  const fitMs = took();
  const values = computeAll(index, { manual, optedOut }, params, modelTerms(index, fit.constants));
  const valuesMs = took();
  const epsilon = epsilonFor(snapshot.tracks.length, params.precision);
  const plan = planWrites({ values, verdicts, current, epsilon, grid: params.grid, kinds: params.infer.kinds, index });
  // The inferred tag, as cached, disagrees with ownership (a crash between a write and its tag, a tag
  // removed by hand): the writer re-checks and fixes these. Takeovers and opt-outs are checked anyway.
  // Built only when some tag disagrees (a 300,000-key set costs more than the check).
  let planned: Set<string> | undefined;
  const tagFixes: OwnershipChange[] = [];
  if (inferredTag) {
    for (const [kind, items] of kinds) {
      for (const { key } of items) {
        const verdict = verdicts.get(key);
        const inferred = verdict?.ownership === 'inferred';
        if (inferred === (tagged[key] === true)) continue;
        if (verdict?.transition === 'takeover' || verdict?.transition === 'opt_out') continue;
        planned ??= new Set(plan.writes.map((w) => w.key));
        if (!planned.has(key)) tagFixes.push({ key, kind, written: claims[key]?.writtenValue ?? null, current: current.get(key) ?? null });
      }
    }
  }
  return {
    mu: values.mu,
    kappa: values.kappa,
    epsilon,
    trackCount: snapshot.tracks.length,
    writes: plan.writes,
    driftSkipped: plan.driftSkipped,
    protectedItems: plan.protectedItems,
    takeovers,
    optOuts,
    tagFixes,
    ownership: tally,
    outside: plan.outside,
    fit,
    computeMs: performance.now() - started,
    phases: { load: loadMs, ownership: ownershipMs, index: indexMs, fit: fitMs, values: valuesMs, plan: took() },
    snapshot,
  };
}

/** The writer's work for a plan: ownership checks for takeovers and opt-outs, then the writes. */
export function intentsOf(plan: Pick<PassPlan, 'writes' | 'takeovers' | 'optOuts'> & { tagFixes?: OwnershipChange[] }): WriteIntent[] {
  return [
    ...[...plan.takeovers, ...plan.optOuts, ...(plan.tagFixes ?? [])].map(
      (c): WriteIntent => ({ key: c.key, kind: c.kind, operation: 'check', value: null, expected: c.current, authority: 'model' }),
    ),
    ...plan.writes.map(
      (w): WriteIntent => ({ key: w.key, kind: w.kind, operation: 'rate', value: w.value, expected: w.previous, authority: 'model' }),
    ),
  ];
}

export interface FullPassOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: WriterProgress) => void;
  /** Updates the library cache from Plex before planning (the CLI passes the library sync). */
  sync?: (signal?: AbortSignal) => Promise<unknown>;
}

export interface FullPassResult {
  runId: number;
  dryRun: boolean;
  plan: PassPlan;
  reconciled: ReconcileOutcome | null;
  outcome: WriteOutcome | null;
  status: 'done' | 'cancelled' | 'failed';
  seconds: number;
}

export async function runFullPass(deps: EngineDeps, options: FullPassOptions = {}): Promise<FullPassResult> {
  const started = performance.now();
  const { store, logger } = deps;
  if (options.dryRun) {
    if (options.sync) await options.sync(options.signal);
    const runId = store.runs.start('dry');
    const plan = planFullPass(store, deps.params, deps.inferredTag);
    store.runs.describe(runId, { mu: plan.mu, epsilon: plan.epsilon, model: plan.fit });
    store.runs.finish(runId, 'done', planCounts(plan));
    return { runId, dryRun: true, plan, reconciled: null, outcome: null, status: 'done', seconds: (performance.now() - started) / 1000 };
  }

  return withWriterLease(store, async () => {
    const reconciled = await reconcileJournal(store, deps.port);
    if (reconciled.applied + reconciled.dropped > 0) logger.info(reconciled, 'infer: reconciled the journal left by an earlier run');
    if (options.sync) await options.sync(options.signal);
    const runId = store.runs.start('full');
    const plan = planFullPass(store, deps.params, deps.inferredTag);
    store.runs.describe(runId, { mu: plan.mu, epsilon: plan.epsilon, model: plan.fit });
    logger.info(
      {
        runId,
        mu: plan.mu,
        epsilon: plan.epsilon,
        planned: plan.writes.length,
        model: plan.fit.chosen,
        constants: plan.fit.constants,
        computeMs: Math.round(plan.computeMs),
      },
      'infer: plan ready',
    );
    const writer = new RatingWriter(store, deps.port, logger, {
      ...deps.writer,
      inferredTag: deps.inferredTag,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    try {
      const outcome = await writer.execute(runId, intentsOf(plan));
      const status = outcome.cancelled ? 'cancelled' : 'done';
      store.runs.describe(runId, { writeMode: outcome.mode });
      store.runs.finish(runId, status, { ...planCounts(plan), ...outcomeCounts(outcome) });
      return { runId, dryRun: false, plan, reconciled, outcome, status, seconds: (performance.now() - started) / 1000 };
    } catch (err) {
      store.runs.finish(runId, 'failed', planCounts(plan), err instanceof Error ? err.message : String(err));
      throw err;
    }
  });
}

/** Runs `work` holding the writer lease; abandoned runs of dead writers are marked failed first. */
export async function withWriterLease<T>(store: EngineStore, work: () => Promise<T>): Promise<T> {
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  store.lease.acquire('writer', owner);
  const beat = setInterval(() => store.lease.heartbeat('writer', owner), 15_000);
  beat.unref();
  try {
    store.runs.failAbandoned();
    return await work();
  } finally {
    clearInterval(beat);
    store.lease.release('writer', owner);
  }
}

export function planCounts(plan: PassPlan): Record<string, number> {
  return {
    planned: plan.writes.length,
    new: plan.writes.filter((w) => w.reason === 'new').length,
    moved: plan.writes.filter((w) => w.reason === 'moved').length,
    driftSkipped: plan.driftSkipped,
    takeovers: plan.takeovers.length,
    optOuts: plan.optOuts.length,
    protected: plan.protectedItems,
    tagFixes: plan.tagFixes.length,
    outsideKinds: plan.outside.kinds,
    excluded: plan.outside.excluded,
  };
}

export function outcomeCounts(outcome: WriteOutcome): Record<string, number> {
  const { mode: _mode, cancelled: _cancelled, ...counts } = outcome;
  return { ...counts, confirmedTakeovers: outcome.takeovers, confirmedOptOuts: outcome.optOuts };
}

/** The keys carrying the tag, as a null-prototype object (see EngineStateRepo.loadAllByKey for why). */
function taggedKeys(store: EngineStore, tag: string): Record<string, true> {
  const tagged: Record<string, true> = Object.create(null);
  for (const key of moodTaggedKeys(store.sqlite, tag)) tagged[key] = true;
  return tagged;
}
