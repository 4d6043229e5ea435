// A deterministic synthetic library of any size (for the scale sanity test and bench/rating-compute.ts):
// artists with studio albums and best-ofs that repeat their songs (twins), a compilation placeholder whose
// albums borrow songs from everyone, critic ratings, short tracks, and a few percent of manual ratings.
import type { LibrarySnapshot, ModelAlbum, ModelArtist, ModelTrack, OwnershipView } from '../../../../src/domain/rating/index.js';
import { seededRandom } from '../../../support/seeded-random.js';

export interface SyntheticLibrary {
  snapshot: LibrarySnapshot;
  ownership: OwnershipView;
}

export function syntheticLibrary(trackCount: number, seed = 1): SyntheticLibrary {
  const random = seededRandom(seed);
  const artists: ModelArtist[] = [{ key: 'va', title: 'Various Artists' }];
  const albums: ModelAlbum[] = [];
  const tracks: ModelTrack[] = [];
  const manual = new Map<string, number>();
  const optedOut = new Set<string>();
  const songsPerArtist = 40;
  const tracksPerAlbum = 10;
  const albumsPerArtist = 5;
  const songDuration = (artist: number, song: number) => 90_000 + ((artist * 7919 + song * 104_729) % 240_000);
  const artistCount = Math.max(1, Math.ceil(trackCount / (tracksPerAlbum * albumsPerArtist * 1.05)));
  for (let r = 0; r < artistCount; r++) artists.push({ key: `r${r}`, title: `Artist ${r}` });

  let nextAlbum = 0;
  while (tracks.length < trackCount) {
    const compilation = nextAlbum % 21 === 20;
    const artist = compilation ? 0 : 1 + (Math.floor(nextAlbum / albumsPerArtist) % artistCount);
    const albumKey = `a${nextAlbum++}`;
    albums.push({
      key: albumKey,
      artistKey: artists[artist].key,
      title: compilation ? `Hits ${nextAlbum}` : random() < 0.05 ? `Live in City ${nextAlbum}` : `Album ${nextAlbum}`,
      criticRating: random() < 0.4 ? Math.round(random() * 40 + 60) / 10 : null,
      isLive: random() < 0.03,
    });
    if (random() < 0.05) manual.set(albumKey, Math.round(random() * 10));
    for (let i = 0; i < tracksPerAlbum && tracks.length < trackCount; i++) {
      const from = compilation ? 1 + Math.floor(random() * artistCount) : artist;
      const song = Math.floor(random() * songsPerArtist);
      const key = `t${tracks.length}`;
      const short = random() < 0.03;
      tracks.push({
        key,
        albumKey,
        artistKey: artists[artist].key,
        title: random() < 0.02 ? 'Intro' : `Song ${song}`,
        trackArtist: artists[from].title,
        durationMs: random() < 0.02 ? null : short ? 45_000 : songDuration(from, song) + Math.floor(random() * 4000),
      });
      const roll = random();
      if (roll < 0.03) manual.set(key, Math.round(random() * 20) / 2);
      else if (roll < 0.035) optedOut.add(key);
    }
  }
  for (const artist of artists) if (random() < 0.05) manual.set(artist.key, Math.round(random() * 10));
  return { snapshot: { artists, albums, tracks }, ownership: { manual, optedOut } };
}
