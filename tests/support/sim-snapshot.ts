// The rating model's input built straight from a simulated library (not from Sagewire's cache): what the
// yardsticks of the tests and the accuracy benchmark compare Sagewire with.
import type { LibrarySnapshot } from '../../src/domain/rating/index.js';
import type { SimLibrary } from '../../src/sim/index.js';

export function modelSnapshotOf(lib: Pick<SimLibrary, 'artists' | 'albums' | 'tracks'>): LibrarySnapshot {
  const artistTitle = new Map(lib.artists.map((a) => [a.ratingKey, a.title]));
  const albumArtist = new Map(lib.albums.map((a) => [a.ratingKey, a.artistKey]));
  return {
    artists: lib.artists.map((a) => ({ key: a.ratingKey, title: a.title })),
    albums: lib.albums.map((a) => ({
      key: a.ratingKey,
      artistKey: a.artistKey,
      title: a.title,
      criticRating: a.rating ?? null,
      isLive: a.subformats.some((s) => s.toLowerCase() === 'live'),
      genres: a.genres,
    })),
    tracks: lib.tracks.map((t) => {
      const artistKey = albumArtist.get(t.albumKey)!;
      return {
        key: t.ratingKey,
        albumKey: t.albumKey,
        artistKey,
        title: t.title,
        trackArtist: t.originalTitle ?? artistTitle.get(artistKey) ?? '',
        durationMs: t.duration,
        plays: t.viewCount ?? 0,
        skips: t.skipCount ?? 0,
      };
    }),
  };
}
