// Steps 3–5.2 for one album artist and its albums, shared by the full pass and by subtree recomputation
// so that both produce the same bits. Step 5.3 (twins) is in rate-twins.ts.
//   v_r    = (C·μ + ΣX_r)/(C + m), X_r = manual album ratings + e_a of non-manual albums with n_a ≥ 1;
//            m = 0 → μ (fill_unknown) or none; never for a manual artist or the compilation placeholder
//   base_a = gravity(R, μ, g_album) under a manual artist; v_r when the artist has a value; μ otherwise
//   v_a    = (C·crit(base_a) + ΣE_a)/(C + n_a); none when n_a = 0, the artist has no value and !fill_unknown
//   step2  = gravity(V, μ, g_track) under a manual album; v_a otherwise (none when the album has none)
// Opted-out artists and albums are rated exactly as if unrated: their value feeds their children and is
// returned, and only the planner keeps it out of Plex.
// The constants come from `ctx.terms` (terms.ts): cAlbum for v_a and e_a, cArtist for v_r; in the learned
// mode the arithmetic runs in shifted space (manual ratings minus their item's shift) and every value handed
// to the sink is shifted back. Excluded albums and artists get no value and give their tracks none.
import { albumEvidence, type AlbumEvidence } from './evidence.js';
import { artistEstimate, crit, estimate, gravity } from './formulas.js';
import type { ArtistGroup, LibraryIndex } from './library-index.js';
import type { RatingParams } from './params.js';
import type { ModelTerms } from './terms.js';
import type { OwnershipView, Prior } from './types.js';

export interface RatingContext extends Prior {
  index: LibraryIndex;
  ownership: OwnershipView;
  params: RatingParams;
  terms: ModelTerms;
}

export type BaseSource = 'artist manual with gravity' | 'artist inferred' | 'prior';

export interface AlbumBase {
  base: number;
  source: BaseSource;
}

/** Receives what rateArtistGroup computes; `null` means "no value". */
export interface RatingSink {
  artist(key: string, value: number | null): void;
  album(key: string, value: number | null): void;
  /** Step-2 value of a track (before twins), by track position. */
  trackFromAlbum(track: number, value: number | null): void;
}

/** e_a for an album with evidence: the artist's view of that album. */
export function albumEstimateForArtist(ctx: RatingContext, album: number, evidence: AlbumEvidence): number {
  const p0 = crit(ctx.mu, ctx.index.snapshot.albums[album], ctx.kappa, ctx.params);
  return estimate(p0, evidence, ctx.terms.constants.cAlbum);
}

/** v_r in shifted space (the classic v_r), or null for a manual artist, the compilation placeholder, or no value. */
export function artistValue(ctx: RatingContext, group: ArtistGroup, evidence: readonly AlbumEvidence[]): number | null {
  if (group.isCompilation || ctx.ownership.manual.has(group.artistKey)) return null;
  const { albums } = ctx.index.snapshot;
  const { terms } = ctx;
  let sumX = 0;
  let m = 0;
  group.albums.forEach((album, i) => {
    if (ctx.index.albumExcluded[album] === 1) return;
    const manual = ctx.ownership.manual.get(albums[album].key);
    if (manual !== undefined) {
      sumX += terms.shifted ? manual - terms.albumShift(album) : manual;
      m += 1;
    } else if (evidence[i].count > 0) {
      sumX += albumEstimateForArtist(ctx, album, evidence[i]);
      m += 1;
    }
  });
  if (m > 0) return artistEstimate(ctx.mu, sumX, m, terms.constants.cArtist);
  return ctx.params.fill_unknown ? ctx.mu : null;
}

/** The value written for an artist: v_r shifted back by the artist's listening. */
export function artistWritten(ctx: RatingContext, groupAt: number, shifted: number | null): number | null {
  return shifted === null || !ctx.terms.shifted ? shifted : shifted + ctx.terms.groupShift(groupAt);
}

export function albumBase(ctx: RatingContext, group: ArtistGroup, artist: number | null): AlbumBase {
  const manual = ctx.ownership.manual.get(group.artistKey);
  if (manual !== undefined) {
    const own = ctx.terms.shifted ? manual - ctx.terms.groupShift(ctx.index.groupOfArtist.get(group.artistKey)!) : manual;
    return { base: gravity(own, ctx.mu, ctx.params.g_album), source: 'artist manual with gravity' };
  }
  if (artist !== null) return { base: artist, source: 'artist inferred' };
  return { base: ctx.mu, source: 'prior' };
}

/** v_a of a non-manual album (shifted back: the value written), or null when it gets no value. */
export function albumValue(ctx: RatingContext, album: number, base: AlbumBase, evidence: AlbumEvidence): number | null {
  if (ctx.index.albumExcluded[album] === 1) return null;
  if (evidence.count === 0 && base.source === 'prior' && !ctx.params.fill_unknown) return null;
  const p = crit(base.base, ctx.index.snapshot.albums[album], ctx.kappa, ctx.params);
  const value = estimate(p, evidence, ctx.terms.constants.cAlbum);
  return ctx.terms.shifted ? value + ctx.terms.albumShift(album) : value;
}

/**
 * Step 5.2: what a track takes from its album (manual rating with gravity, or v_a), plus its own listening
 * shift in the learned mode. `value` is the album's written value; `track` the track's position.
 */
export function trackFromAlbum(ctx: RatingContext, album: number, value: number | null, track?: number): number | null {
  if (album < 0 || ctx.index.albumExcluded[album] === 1) return null;
  const manual = ctx.ownership.manual.get(ctx.index.snapshot.albums[album].key);
  const { terms } = ctx;
  if (!terms.shifted || track === undefined) {
    if (manual !== undefined) return gravity(manual, ctx.mu, ctx.params.g_track);
    return value;
  }
  const own = terms.trackShift(track);
  if (manual !== undefined) {
    const shift = terms.albumShift(album);
    return gravity(manual - shift, ctx.mu, ctx.params.g_track) + shift + own;
  }
  return value === null ? null : value + own;
}

/**
 * Rates an artist group. `onlyAlbums` restricts the work to some of its albums, which is only sound for the
 * compilation placeholder (its albums do not depend on each other).
 */
export function rateArtistGroup(ctx: RatingContext, group: ArtistGroup, sink: RatingSink, onlyAlbums?: readonly number[]): void {
  const { albums, artists } = ctx.index.snapshot;
  const albumList = onlyAlbums ?? group.albums;
  if (onlyAlbums && !group.isCompilation) throw new Error('rating model: only a compilation can be rated album by album');
  const evidenceOf = new Map<number, AlbumEvidence>();
  for (const album of group.isCompilation ? albumList : group.albums) {
    evidenceOf.set(album, albumEvidence(ctx.index, ctx.ownership, album, ctx.terms));
  }
  const artist = group.isCompilation
    ? null
    : artistValue(
        ctx,
        group,
        group.albums.map((a) => evidenceOf.get(a)!),
      );
  const groupAt = ctx.index.groupOfArtist.get(group.artistKey)!;
  if (group.artist >= 0 && !ctx.ownership.manual.has(group.artistKey)) {
    sink.artist(artists[group.artist].key, ctx.index.groupExcluded[groupAt] === 1 ? null : artistWritten(ctx, groupAt, artist));
  }
  const base = albumBase(ctx, group, artist);
  for (const album of albumList) {
    const key = albums[album].key;
    const value = ctx.ownership.manual.has(key) ? null : albumValue(ctx, album, base, evidenceOf.get(album)!);
    if (!ctx.ownership.manual.has(key)) sink.album(key, value);
    if (ctx.terms.shifted) {
      for (const track of ctx.index.tracksOfAlbum[album]) sink.trackFromAlbum(track, trackFromAlbum(ctx, album, value, track));
    } else {
      const fromAlbum = trackFromAlbum(ctx, album, value);
      for (const track of ctx.index.tracksOfAlbum[album]) sink.trackFromAlbum(track, fromAlbum);
    }
  }
}
