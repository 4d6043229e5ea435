// An in-memory Plex behind the engine's RatingWriterPort, for fast property tests. It counts requests,
// can round stored ratings to one decimal like Plex, can refuse or mangle several-id rating edits, and can
// "crash" at the k-th write (optionally after applying it), failing every request after that.
import type { CurrentItem, ItemKind, RatingWriterPort } from '../../../../src/engine/core/rating-port.js';
import { seededRandom } from '../../../support/seeded-random.js';

export interface FakeItem {
  kind: ItemKind;
  rating: number | null;
  moods: string[];
}

export type FakeOp = 'read' | 'rate' | 'bulkRate' | 'editMoods';

export interface FakePlexOptions {
  roundRatings?: boolean;
  bulk?: 'honoured' | 'refused' | 'whole-points';
  /** A several-id clear (`userRating.value=-1`): honoured (default when `bulk` is), ignored, or stored as 0. */
  bulkClear?: 'honoured' | 'ignored' | 'zero';
  /** Transient faults: each request of these kinds fails (before taking effect) with this probability. */
  faults?: { rate: number; seed: number; ops: readonly FakeOp[] };
  /** Called as each request starts (before it takes effect), in call order. */
  onRequest?: (op: FakeOp, keys: readonly string[]) => void;
}

export class SimulatedCrash extends Error {
  constructor() {
    super('simulated crash');
  }
}

export class FakePlex implements RatingWriterPort {
  readonly items = new Map<string, FakeItem>();
  readonly requests = { read: 0, rate: 0, bulkRate: 0, editMoods: 0 };
  /** Every rating write per key, in order (to detect duplicates). */
  readonly writeLog: Array<{ key: string; value: number | null }> = [];
  private crashAt: number | null = null;
  private applyBeforeCrash = false;
  private writes = 0;
  private dead = false;
  private readonly faultRandom: (() => number) | null;
  readonly faultsInjected: Record<FakeOp, number> = { read: 0, rate: 0, bulkRate: 0, editMoods: 0 };

  constructor(private readonly options: FakePlexOptions = {}) {
    this.faultRandom = options.faults ? seededRandom(options.faults.seed) : null;
  }

  /** Turns the transient faults off (or on again with another rate). */
  setFaultRate(rate: number): void {
    if (this.options.faults) this.options.faults.rate = rate;
  }

  private begin(op: FakeOp, keys: readonly string[]): void {
    this.options.onRequest?.(op, keys);
    const faults = this.options.faults;
    if (faults && this.faultRandom && faults.ops.includes(op) && this.faultRandom() < faults.rate) {
      this.faultsInjected[op] += 1;
      throw new Error(`500 injected fault (${op})`);
    }
  }

  /** The k-th rating write from now (1-based) fails; every request after it fails too, until revive(). */
  crashAtWrite(k: number, applyFirst: boolean): void {
    this.crashAt = this.writes + k;
    this.applyBeforeCrash = applyFirst;
  }

  revive(): void {
    this.dead = false;
    this.crashAt = null;
  }

  /** A person rates in a Plex client (null clears). */
  userRate(key: string, value: number | null): void {
    this.items.get(key)!.rating = value === null ? null : this.store(value);
  }

  ratings(): Map<string, number | null> {
    return new Map([...this.items].map(([k, v]) => [k, v.rating]));
  }

  async readCurrent(keys: readonly string[]): Promise<Map<string, CurrentItem>> {
    this.alive();
    this.begin('read', keys);
    this.requests.read += 1;
    const out = new Map<string, CurrentItem>();
    for (const key of keys) {
      const item = this.items.get(key);
      if (item) out.set(key, { kind: item.kind, rating: item.rating, moods: [...item.moods] });
    }
    return out;
  }

  async rate(key: string, value: number | null): Promise<void> {
    this.alive();
    this.begin('rate', [key]);
    this.beforeWrite(() => this.setRating(key, value));
    this.requests.rate += 1;
    this.setRating(key, value);
  }

  async bulkRate(_kind: ItemKind, keys: readonly string[], value: number | null): Promise<void> {
    this.alive();
    this.begin('bulkRate', keys);
    this.beforeWrite(() => {
      for (const k of keys) this.setRating(k, value);
    });
    this.requests.bulkRate += 1;
    if (this.options.bulk === 'refused' || this.options.bulk === undefined) throw new Error('400 bad request');
    if (value === null) {
      const clear = this.options.bulkClear ?? 'honoured';
      if (clear === 'ignored') return;
      for (const key of keys) this.setRating(key, clear === 'zero' ? 0 : null);
      return;
    }
    const stored = this.options.bulk === 'whole-points' ? Math.round(value) : value;
    for (const key of keys) this.setRating(key, stored);
  }

  async editMoods(
    _kind: ItemKind,
    keys: readonly string[],
    change: { add?: readonly string[]; remove?: readonly string[] },
  ): Promise<void> {
    this.alive();
    if (keys.length === 0) throw new Error('an edit without ids');
    this.begin('editMoods', keys);
    this.requests.editMoods += 1;
    for (const key of keys) {
      const item = this.items.get(key);
      if (!item) continue;
      for (const tag of change.add ?? []) if (!item.moods.includes(tag)) item.moods.push(tag);
      item.moods = item.moods.filter((m) => !(change.remove ?? []).includes(m));
    }
  }

  private setRating(key: string, value: number | null): void {
    const item = this.items.get(key);
    if (!item) return;
    item.rating = value === null ? null : this.store(value);
    this.writeLog.push({ key, value: item.rating });
  }

  private store(value: number): number {
    // Plex keeps a float; optionally one decimal, as the simulator does by default.
    return this.options.roundRatings ? Math.round(value * 10) / 10 : Math.fround(value);
  }

  private alive(): void {
    if (this.dead) throw new SimulatedCrash();
  }

  private beforeWrite(apply: () => void): void {
    this.alive();
    this.writes += 1;
    if (this.crashAt !== null && this.writes >= this.crashAt) {
      if (this.applyBeforeCrash) apply();
      this.dead = true;
      throw new SimulatedCrash();
    }
  }
}
