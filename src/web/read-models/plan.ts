// The last dry run's plan, kept in memory for the Ratings page: counts by kind and reason, and its changes
// as a table that is filtered (kind, reason, text), sorted and paged on the server — a 300,000-item plan
// never goes to the browser whole. Sort orders are computed once per column and direction and reused.
import type { ItemKind } from '../../domain/rating/index.js';
import type { PassPlan } from '../../engine/pass/full-pass.js';
import { countsByKindAndReason, namedChanges, type NamedChange } from '../../engine/pass/plan-report.js';

export const PLAN_SORTS = ['artist', 'title', 'kind', 'before', 'after', 'change'] as const;
export type PlanSort = (typeof PLAN_SORTS)[number];

export interface PlanQuery {
  kind: ItemKind | '';
  reason: 'new' | 'moved' | '';
  q: string;
  sort: PlanSort;
  dir: 'asc' | 'desc';
  page: number;
}

export interface PlanPage {
  rows: NamedChange[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

export class StoredPlan {
  readonly counts: Record<string, Record<string, number>>;
  private named: NamedChange[] | null = null;
  private haystacks: string[] | null = null;
  private readonly orders = new Map<string, Int32Array>();

  constructor(
    readonly runId: number,
    readonly at: number,
    readonly plan: PassPlan,
  ) {
    this.counts = countsByKindAndReason(plan);
  }

  changes(): NamedChange[] {
    this.named ??= namedChanges(this.plan);
    return this.named;
  }

  query(query: PlanQuery, pageSize = 50): PlanPage {
    const changes = this.changes();
    const needle = query.q.trim().toLowerCase();
    if (needle) this.haystacks ??= changes.map((c) => `${c.artist}\u0000${c.album}\u0000${c.title}`.toLowerCase());
    const matches: number[] = [];
    for (const i of this.order(query.sort, query.dir)) {
      const c = changes[i];
      if (query.kind && c.kind !== query.kind) continue;
      if (query.reason && c.reason !== query.reason) continue;
      if (needle && !this.haystacks![i].includes(needle)) continue;
      matches.push(i);
    }
    const pages = Math.max(1, Math.ceil(matches.length / pageSize));
    const page = Math.min(Math.max(1, query.page), pages);
    return {
      rows: matches.slice((page - 1) * pageSize, page * pageSize).map((i) => changes[i]),
      total: matches.length,
      page,
      pages,
      pageSize,
    };
  }

  private order(sort: PlanSort, dir: 'asc' | 'desc'): Int32Array {
    const id = `${sort}:${dir}`;
    let order = this.orders.get(id);
    if (order) return order;
    const changes = this.changes();
    const kindRank: Record<ItemKind, number> = { artist: 0, album: 1, track: 2 };
    const key: (c: NamedChange) => string | number = {
      artist: (c: NamedChange) => `${c.artist.toLowerCase()}\u0000${c.album.toLowerCase()}\u0000${c.title.toLowerCase()}`,
      title: (c: NamedChange) => c.title.toLowerCase(),
      kind: (c: NamedChange) => kindRank[c.kind],
      before: (c: NamedChange) => c.before ?? -1,
      after: (c: NamedChange) => c.after,
      change: (c: NamedChange) => Math.abs(c.after - (c.before ?? c.after)),
    }[sort];
    const keys = changes.map(key);
    order = Int32Array.from(changes.keys()).sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      const cmp = x < y ? -1 : x > y ? 1 : a - b;
      return dir === 'asc' ? cmp : -cmp;
    });
    this.orders.set(id, order);
    return order;
  }
}
