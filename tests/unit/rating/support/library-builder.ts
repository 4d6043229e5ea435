// Small hand-written libraries for the table tests: `lib.artist(...)`, `lib.album(...)`, `lib.track(...)`.
import type { LibrarySnapshot, ModelAlbum, ModelTrack, OwnershipView } from '../../../../src/domain/rating/index.js';

export class LibraryBuilder {
  readonly snapshot: LibrarySnapshot = { artists: [], albums: [], tracks: [] };

  artist(key: string, title = key): this {
    this.snapshot.artists.push({ key, title });
    return this;
  }

  album(key: string, artistKey: string, options: Partial<Omit<ModelAlbum, 'key' | 'artistKey'>> = {}): this {
    this.snapshot.albums.push({
      key,
      artistKey,
      title: options.title ?? key,
      criticRating: options.criticRating ?? null,
      isLive: options.isLive ?? false,
    });
    return this;
  }

  /** Duration defaults to 200 s; the track artist to the album artist's title. */
  track(key: string, albumKey: string, options: Partial<Omit<ModelTrack, 'key' | 'albumKey' | 'artistKey'>> = {}): this {
    const album = this.snapshot.albums.find((a) => a.key === albumKey);
    if (!album) throw new Error(`no album ${albumKey}`);
    const artist = this.snapshot.artists.find((a) => a.key === album.artistKey);
    this.snapshot.tracks.push({
      key,
      albumKey,
      artistKey: album.artistKey,
      title: options.title ?? key,
      trackArtist: options.trackArtist ?? artist?.title ?? album.artistKey,
      durationMs: options.durationMs === undefined ? 200_000 : options.durationMs,
    });
    return this;
  }
}

export function owned(manual: Record<string, number> = {}, optedOut: string[] = []): OwnershipView {
  return { manual: new Map(Object.entries(manual)), optedOut: new Set(optedOut) };
}
