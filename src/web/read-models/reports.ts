// The Reports page's numbers, computed once per model version (ui-model.ts) — O(library), about half a second
// on 300,000 tracks, so in slices that let webhooks and other pages through — and kept:
//   coverage      per kind: manual / inferred / unrated / opted out (ownership as the full pass derives it)
//   histograms    per kind: the manual ratings and the model's values for everything else, in 0.5-point bins
//   twins         clusters, their tracks, clusters anchored by a manual member, the largest clusters
//   dissenters    tracks rated by hand ≥ DISSENT points away from their album's value, farthest first
//   top / bottom  artists and albums by rating (manual, else the model's value), with evidence of their own
import type { ItemKind, Ownership } from '../../domain/rating/index.js';
import type { RatingModel } from './ui-model.js';
import { yieldToIo } from '../../util/yield-to-io.js';

export const BINS = 20;
export const DISSENT = 3;
const LISTED = 10;

export interface CoverageRow {
  kind: ItemKind;
  total: number;
  counts: Record<Ownership, number>;
}

export interface RankedItem {
  kind: ItemKind;
  key: string;
  title: string;
  context: string;
  rating: number;
  ownership: Ownership;
}

export interface Dissenter {
  key: string;
  title: string;
  album: string;
  albumKey: string;
  rating: number;
  albumValue: number;
  distance: number;
}

export interface Reports {
  coverage: CoverageRow[];
  /** Per kind, `BINS` counts from 0 to 10 points. */
  histograms: Record<ItemKind, { manual: number[]; inferred: number[] }>;
  twins: {
    clusters: number;
    tracks: number;
    anchored: number;
    largest: Array<{
      size: number;
      anchored: boolean;
      members: Array<{ key: string; title: string; album: string; ownership: Ownership }>;
    }>;
  };
  dissenters: { total: number; shown: Dissenter[] };
  top: { artists: RankedItem[]; albums: RankedItem[] };
  bottom: { artists: RankedItem[]; albums: RankedItem[] };
  mu: number;
}

export interface ReportsView {
  reports: Reports;
  /** When these numbers were computed (epoch ms). */
  at: number;
  /** The model changed since: newer numbers are being computed; the page says so. */
  stale: boolean;
}

/**
 * Newest reports first, never a blocked page: a view of the model they were computed from is answered at
 * once; after a change the new numbers are computed (in slices) and waited for up to `waitMs` — enough for
 * most libraries — and past that the previous numbers are answered, marked stale, while the computation
 * goes on. That is for a model that keeps changing (a burst of ratings), where the previous numbers are
 * seconds old. Numbers older than `freshMs` are never answered in place of new ones: the first view, and
 * the first after a quiet spell (the numbers warmed at start, then a full pass and its echoes changed the
 * model before anyone looked), wait for as long as the computation takes (about half a second on 300,000
 * tracks) rather than show minutes-old numbers.
 */
export class ReportsCache {
  private done: { model: RatingModel; reports: Reports; at: number } | null = null;
  private running: { model: RatingModel; promise: Promise<void> } | null = null;

  constructor(
    private readonly compute: (model: RatingModel) => Promise<Reports> = computeReports,
    private readonly waitMs = 50,
    private readonly freshMs = 10_000,
  ) {}

  async get(model: RatingModel): Promise<ReportsView> {
    if (this.done?.model !== model) {
      const running = this.running?.model === model ? this.running : this.start(model);
      if (!this.done) await running.promise;
      // Should the computation fail, the old numbers are answered (marked stale) and the page asks again.
      else if (Date.now() - this.done.at > this.freshMs) await running.promise.catch(() => undefined);
      else {
        let timer: NodeJS.Timeout | undefined;
        const waited = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.waitMs)));
        await Promise.race([running.promise.catch(() => undefined), waited]);
        clearTimeout(timer);
      }
    }
    const done = this.done!;
    return { reports: done.reports, at: done.at, stale: done.model !== model };
  }

  private start(model: RatingModel): { model: RatingModel; promise: Promise<void> } {
    // One computation at a time: a newer model waits for the one in flight, then goes.
    const before = this.running?.promise.catch(() => undefined) ?? Promise.resolve();
    const promise = before.then(async () => {
      const reports = await this.compute(model);
      this.done = { model, reports, at: Date.now() }; // computations run one after another: this is the newest
    });
    const running = { model, promise };
    this.running = running;
    const settled = () => {
      if (this.running === running) this.running = null;
    };
    promise.then(settled, settled);
    return running;
  }
}

/** Items per slice of the computation; waiting I/O (webhooks, other pages) runs between slices. */
const SLICE = 10_000;

const bin = (points: number) => Math.min(BINS - 1, Math.max(0, Math.floor(points / (10 / BINS))));

export async function computeReports(model: RatingModel): Promise<Reports> {
  const { index, values } = model;
  const { artists, albums, tracks } = index.snapshot;
  const lists: Record<ItemKind, ReadonlyArray<{ key: string }>> = { artist: artists, album: albums, track: tracks };
  const valueMaps: Record<ItemKind, Map<string, number>> = { artist: values.artists, album: values.albums, track: values.tracks };
  const coverage: CoverageRow[] = [];
  const histograms = {} as Reports['histograms'];
  for (const kind of ['artist', 'album', 'track'] as const) {
    const counts: Record<Ownership, number> = { manual: 0, inferred: 0, unrated: 0, opted_out: 0 };
    const manual = new Array<number>(BINS).fill(0);
    const inferred = new Array<number>(BINS).fill(0);
    const list = lists[kind];
    for (let i = 0; i < list.length; i++) {
      if (i > 0 && i % SLICE === 0) await yieldToIo();
      const { key } = list[i];
      const ownership = model.ownershipOf(key);
      counts[ownership] += 1;
      if (ownership === 'manual') manual[bin(model.ownership.manual.get(key)!)] += 1;
      else if (ownership !== 'opted_out') {
        const value = valueMaps[kind].get(key);
        if (value !== undefined) inferred[bin(value)] += 1;
      }
    }
    coverage.push({ kind, total: lists[kind].length, counts });
    histograms[kind] = { manual, inferred };
  }

  await yieldToIo();
  const albumTitle = (a: number) => (a >= 0 ? albums[a].title : '');
  const largest = index.twinClusters
    .map((members) => ({ members, anchored: members.some((t) => model.ownership.manual.has(tracks[t].key)) }))
    .sort((x, y) => y.members.length - x.members.length || (tracks[x.members[0]].title < tracks[y.members[0]].title ? -1 : 1))
    .slice(0, 15)
    .map(({ members, anchored }) => ({
      size: members.length,
      anchored,
      members: members.map((t) => ({
        key: tracks[t].key,
        title: tracks[t].title,
        album: albumTitle(index.trackAlbum[t]),
        ownership: model.ownershipOf(tracks[t].key),
      })),
    }));
  const twins = {
    clusters: index.twinClusters.length,
    tracks: index.twinClusters.reduce((n, m) => n + m.length, 0),
    anchored: index.twinClusters.filter((m) => m.some((t) => model.ownership.manual.has(tracks[t].key))).length,
    largest,
  };

  const dissenting: Dissenter[] = [];
  await yieldToIo();
  for (let t = 0; t < tracks.length; t++) {
    if (t > 0 && t % (SLICE * 5) === 0) await yieldToIo();
    const rating = model.ownership.manual.get(tracks[t].key);
    const a = index.trackAlbum[t];
    if (rating === undefined || a < 0) continue;
    const albumValue = model.ownership.manual.get(albums[a].key) ?? values.albums.get(albums[a].key);
    if (albumValue === undefined) continue;
    const distance = Math.abs(rating - albumValue);
    if (distance >= DISSENT)
      dissenting.push({
        key: tracks[t].key,
        title: tracks[t].title,
        album: albums[a].title,
        albumKey: albums[a].key,
        rating,
        albumValue,
        distance,
      });
  }
  dissenting.sort((x, y) => y.distance - x.distance || (x.title < y.title ? -1 : 1));

  const ranked = (kind: 'artist' | 'album'): RankedItem[] => {
    const out: RankedItem[] = [];
    const artistTitle = new Map(artists.map((a) => [a.key, a.title]));
    const source = kind === 'artist' ? artists : albums;
    for (const item of source) {
      if (kind === 'artist' && index.groups[index.groupOfArtist.get(item.key)!]?.isCompilation) continue;
      const manual = model.ownership.manual.get(item.key);
      const rating = manual ?? valueMaps[kind].get(item.key);
      if (rating === undefined || (manual === undefined && !hasEvidence(model, kind, item.key))) continue;
      const context = kind === 'album' ? (artistTitle.get((item as (typeof albums)[number]).artistKey) ?? '') : '';
      out.push({ kind, key: item.key, title: (item as { title: string }).title, context, rating, ownership: model.ownershipOf(item.key) });
    }
    return out.sort((x, y) => y.rating - x.rating || (x.title < y.title ? -1 : 1));
  };
  await yieldToIo();
  const rankedArtists = ranked('artist');
  await yieldToIo();
  const rankedAlbums = ranked('album');
  return {
    coverage,
    histograms,
    twins,
    dissenters: { total: dissenting.length, shown: dissenting.slice(0, 50) },
    top: { artists: rankedArtists.slice(0, LISTED), albums: rankedAlbums.slice(0, LISTED) },
    bottom: { artists: rankedArtists.slice(-LISTED).reverse(), albums: rankedAlbums.slice(-LISTED).reverse() },
    mu: values.mu,
  };
}

/** An album with a track rated by hand; an artist with such an album or an album rated by hand. */
function hasEvidence(model: RatingModel, kind: 'artist' | 'album', key: string): boolean {
  const { index } = model;
  const albumHas = (a: number) =>
    model.ownership.manual.has(index.snapshot.albums[a].key) ||
    index.tracksOfAlbum[a].some((t) => model.ownership.manual.has(index.snapshot.tracks[t].key));
  if (kind === 'album') {
    const a = index.albumPosition.get(key);
    return a !== undefined && index.tracksOfAlbum[a].some((t) => model.ownership.manual.has(index.snapshot.tracks[t].key));
  }
  const group = index.groupOfArtist.get(key);
  return group !== undefined && index.groups[group].albums.some(albumHas);
}
