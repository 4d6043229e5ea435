// The incremental engine's in-memory model of the library, built once from the cache and the engine state
// and then kept current one item at a time:
//   index      the library's shape (buildLibraryIndex), rebuilt only when the cache's shape changes
//   current    Plex's userRating per item, as last read or written
//   claims     Sagewire's claims (rating_state): the value it wrote, or an opt-out
//   manual, optedOut   derived per item by deriveOwnership(claim, current) — the OwnershipView
//   tally      Σ of the contributing track ratings (exact milli-points), so μ = muOf(tally) in O(1)
//   values     the computed (unrounded) values; a subtree's twins outside it read their albums from here
//   fit, terms the fitted model of the newest full pass (engine/core/model-fit.ts): set when the model is
//              loaded, never by an event
// Every change of an item's facts goes through `update`, which swaps its album's evidence in the tally
// (O(tracks of that album)), so μ always equals what a full pass over the same ratings would compute.
import {
  albumEvidence,
  applySubtree,
  buildLibraryIndex,
  computeSubtree,
  computeWithPrior,
  deriveOwnership,
  epsilonFor,
  muOf,
  planWrites,
  swapAlbumEvidence,
  tallyEvidence,
  type EvidenceTally,
  type LibraryIndex,
  type ModelFit,
  type ModelTerms,
  modelTerms,
  type Ownership,
  type OwnershipVerdict,
  type OwnershipView,
  type Prior,
  type RatingParams,
  type RatingValues,
  type RecomputeScope,
  type SubtreeValues,
  type WritePlan,
} from '../../domain/rating/index.js';
import type { ItemClaim } from '../../db/engine-state-repo.js';
import { journaledKeysSince, newestJournalId, pendingJournalIds, settledJournalKeys } from '../../db/journal-reads.js';
import { cachedRatingLookup } from '../../db/library-snapshot-reads.js';
import type { EngineStore } from '../core/engine-store.js';
import { currentModelFit } from '../core/model-fit.js';
import type { OwnershipChange } from '../pass/full-pass.js';
import { loadCachedLibrary, loadCachedRatings } from '../../library/snapshot.js';
import { copyOwnershipCounts, countOwnership, moveOwnership, type OwnershipCounts } from '../core/ownership-counts.js';
import type { ItemKind } from '../core/rating-port.js';

export interface ItemFacts {
  /** Plex's rating now (null: unrated); undefined leaves it as it is. */
  current?: number | null;
  /** Sagewire's claim now (null: none); undefined leaves it as it is. */
  claim?: ItemClaim | null;
}

export interface ScopePlan {
  subtree: SubtreeValues;
  plan: WritePlan;
  /** Items of the scope whose rating the person took over or cleared: the writer records these. */
  takeovers: OwnershipChange[];
  optOuts: OwnershipChange[];
  /** Items the scope recomputed (artists + albums + tracks, twin members included). */
  recomputed: number;
}

export class LiveModel {
  index!: LibraryIndex;
  readonly current = new Map<string, number>();
  readonly claims = new Map<string, ItemClaim>();
  readonly manual = new Map<string, number>();
  readonly optedOut = new Set<string>();
  values!: RatingValues;
  tally!: EvidenceTally;
  fit!: ModelFit;
  terms!: ModelTerms;
  epsilon = 0.02;
  /** When the model was built (epoch ms). */
  builtAt = 0;
  /** How long the last build() spent in each phase (ms), for the log. */
  readonly buildPhases = { load: 0, index: 0, claims: 0, ownership: 0, compute: 0 };
  /** Moves on every change (build, update, a recomputed subtree): views derived from the model key on it. */
  version = 0;
  /** An item's cached rating, by statements prepared once with the model. */
  private readonly ratingOf: (kind: ItemKind, key: string) => number | null | undefined;
  /** ownershipCounts(), counted once per build() (O(library)) and then kept in step by update(). */
  private ownershipTally: OwnershipCounts | null = null;

  constructor(
    private readonly store: EngineStore,
    readonly params: RatingParams,
  ) {
    this.ratingOf = cachedRatingLookup(store.sqlite);
  }

  get ownership(): OwnershipView {
    return { manual: this.manual, optedOut: this.optedOut };
  }

  get mu(): number {
    return muOf(this.tally);
  }

  prior(): Prior {
    return { mu: this.mu, kappa: this.index.kappa };
  }

  /** Loads everything from the cache and the state: O(library); at start, after library.new and after a full pass. */
  build(): void {
    this.load(true);
  }

  /**
   * Reloads only what runs change — Plex's cached ratings and Sagewire's claims — and recomputes, keeping
   * the library's shape (the index): after a full pass, an undo, an import. About half of build().
   */
  refreshRatings(): void {
    this.load(false);
  }

  private load(shape: boolean): void {
    let t = performance.now();
    const lap = (phase: keyof LiveModel['buildPhases']) => {
      const now = performance.now();
      this.buildPhases[phase] = Math.round(now - t);
      t = now;
    };
    this.ownershipTally = null;
    let current: Map<string, number>;
    if (shape || !this.index) {
      const cached = loadCachedLibrary(this.store.sqlite);
      current = cached.current;
      lap('load');
      this.index = buildLibraryIndex(cached.snapshot, this.params);
      lap('index');
    } else {
      current = loadCachedRatings(this.store.sqlite);
      lap('load');
      this.buildPhases.index = 0;
    }
    const snapshot = this.index.snapshot;
    this.current.clear();
    for (const [key, value] of current) this.current.set(key, value);
    this.claims.clear();
    this.store.state.loadAll(this.claims);
    lap('claims');
    this.manual.clear();
    this.optedOut.clear();
    for (const key of this.current.keys()) this.judge(key);
    for (const key of this.claims.keys()) if (!this.current.has(key)) this.judge(key);
    this.syncFit(true);
    lap('ownership');
    this.values = computeWithPrior(this.index, this.ownership, this.params, this.prior(), this.terms);
    lap('compute');
    this.epsilon = epsilonFor(snapshot.tracks.length, this.params.precision);
    this.builtAt = Date.now();
    this.version += 1;
    this.markJournal();
  }

  /** The journal as of the last load: its newest row, and the rows still pending then (resolved later). */
  private journalMark = { lastId: 0, pending: [] as number[] };

  private markJournal(): void {
    const { sqlite } = this.store;
    this.journalMark = {
      lastId: newestJournalId(sqlite),
      pending: pendingJournalIds(sqlite),
    };
  }

  /**
   * After runs made outside this model (the pages, another process): every change to ratings and claims
   * goes through the journal, so the items journaled since the last load are read again and the values
   * recomputed — O(changed items) plus one computation, instead of reloading everything. Returns false
   * (and changes nothing) when more than `limit` items changed: then reloading is cheaper.
   */
  refreshJournaled(limit = 20_000): boolean {
    const { sqlite } = this.store;
    const { lastId, pending } = this.journalMark;
    const keys = new Set(journaledKeysSince(sqlite, lastId));
    for (const key of settledJournalKeys(sqlite, pending)) keys.add(key);
    if (keys.size > limit) return false;
    const started = performance.now();
    this.refreshFromStore(keys);
    this.syncFit(false);
    const refreshed = performance.now();
    this.values = computeWithPrior(this.index, this.ownership, this.params, this.prior(), this.terms);
    Object.assign(this.buildPhases, {
      load: 0,
      index: 0,
      claims: 0,
      ownership: Math.round(refreshed - started),
      compute: Math.round(performance.now() - refreshed),
    });
    this.builtAt = Date.now();
    this.version += 1;
    this.markJournal();
    return true;
  }

  /**
   * Takes the fit of the newest full pass (a full pass refits; nothing else does). When its constants differ
   * from the ones in use — or `always` — the terms and μ's tally are derived again (O(library)).
   */
  private syncFit(always: boolean): void {
    const fit = currentModelFit(this.store, this.index, this.ownership, this.params, this.fit);
    const same = this.fit !== undefined && JSON.stringify(fit.constants) === JSON.stringify(this.fit.constants);
    this.fit = fit;
    if (same && !always) return;
    this.terms = modelTerms(this.index, fit.constants);
    this.tally = tallyEvidence(this.index, this.ownership, this.terms);
  }

  kindOf(key: string): ItemKind | null {
    if (this.index.trackPosition.has(key)) return 'track';
    if (this.index.albumPosition.has(key)) return 'album';
    if (this.index.artistPosition.has(key)) return 'artist';
    return null;
  }

  verdict(key: string): OwnershipVerdict {
    const claim = this.claims.get(key);
    return deriveOwnership({
      written: claim?.writtenValue ?? null,
      optedOut: claim?.optedOut ?? false,
      current: this.current.get(key) ?? null,
    });
  }

  /** Sets an item's facts, keeping ownership and μ's tally in step. */
  update(key: string, facts: ItemFacts): void {
    this.version += 1;
    const track = this.index.trackPosition.get(key);
    const album = track === undefined ? -1 : this.index.trackAlbum[track];
    const kind = this.ownershipTally ? this.kindOf(key) : null;
    const counted = kind ? this.ownershipOf(key) : null;
    const before = album >= 0 ? albumEvidence(this.index, this.ownership, album, this.terms) : null;
    if (facts.current !== undefined) {
      if (facts.current === null) this.current.delete(key);
      else this.current.set(key, facts.current);
    }
    if (facts.claim !== undefined) {
      if (facts.claim === null) this.claims.delete(key);
      else this.claims.set(key, facts.claim);
    }
    this.judge(key);
    if (kind && counted && this.ownershipTally) moveOwnership(this.ownershipTally, kind, counted, this.ownershipOf(key));
    if (before) this.tally = swapAlbumEvidence(this.tally, before, albumEvidence(this.index, this.ownership, album, this.terms));
  }

  /** Re-reads the given items' cached rating and claim (after the writer journaled changes to them). */
  refreshFromStore(keys: Iterable<string>): void {
    for (const key of new Set(keys)) {
      const kind = this.kindOf(key);
      if (!kind) continue;
      const rating = this.ratingOf(kind, key);
      this.update(key, { current: rating ?? null, claim: this.store.state.get(key) });
    }
  }

  /** Recomputes exactly the scope's subtree with the current μ and plans its writes by the ε rule. */
  planScope(scope: RecomputeScope): ScopePlan {
    const subtree = computeSubtree(this.index, this.ownership, this.params, scope, this.prior(), this.values.albums, this.terms);
    const verdicts = new Map<string, OwnershipVerdict>();
    const takeovers: OwnershipChange[] = [];
    const optOuts: OwnershipChange[] = [];
    const kinds: Array<[ItemKind, string[]]> = [
      ['artist', subtree.scope.artists],
      ['album', subtree.scope.albums],
      ['track', subtree.scope.tracks],
    ];
    let recomputed = 0;
    for (const [kind, keys] of kinds) {
      recomputed += keys.length;
      for (const key of keys) {
        const verdict = this.verdict(key);
        if (verdict.ownership === 'unrated' && verdict.transition === 'none') continue;
        verdicts.set(key, verdict);
        const change = { key, kind, written: this.claims.get(key)?.writtenValue ?? null, current: this.current.get(key) ?? null };
        if (verdict.transition === 'takeover') takeovers.push(change);
        if (verdict.transition === 'opt_out') optOuts.push(change);
      }
    }
    const plan = planWrites({
      values: subtree,
      verdicts,
      current: this.current,
      epsilon: this.epsilon,
      grid: this.params.grid,
      kinds: this.params.infer.kinds,
    });
    applySubtree(this.values, subtree);
    this.version += 1;
    this.values.mu = this.mu;
    return { subtree, plan, takeovers, optOuts, recomputed };
  }

  /** Ownership of every artist, album and track, per kind and in total (see ownership-counts.ts). */
  ownershipCounts(): OwnershipCounts {
    this.ownershipTally ??= countOwnership(this.index.snapshot, (key) => this.ownershipOf(key));
    return copyOwnershipCounts(this.ownershipTally);
  }

  /** An item's ownership, from the sets judge() keeps, without building a verdict (the pages read it per item). */
  ownershipOf(key: string): Ownership {
    if (this.manual.has(key)) return 'manual';
    if (this.optedOut.has(key)) return 'opted_out';
    // judge() keeps the manual and opted-out sets by the ownership rule; what remains is inferred when
    // Sagewire's claimed value is what Plex holds (else the item would be in one of those sets), or unrated.
    return (this.claims.get(key)?.writtenValue ?? null) !== null ? 'inferred' : 'unrated';
  }

  private judge(key: string): void {
    const verdict = this.verdict(key);
    this.manual.delete(key);
    this.optedOut.delete(key);
    if (verdict.ownership === 'manual') this.manual.set(key, this.current.get(key)!);
    else if (verdict.ownership === 'opted_out') this.optedOut.add(key);
  }
}
