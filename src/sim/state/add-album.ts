// New music arriving in a section (`POST /__sim/add-album`, the first section unless told): an album with
// tracks by a new or existing artist of that section, timestamped now. The state announces it, which sends
// `library.new`.
import type { SimState } from './state.js';
import type { SimArtist, SimAlbum, SimTrack } from '../library.js';
import { createRng } from '../generate/prng.js';
import { NameMaker } from '../generate/names.js';
import { songDuration } from '../generate/albums.js';
import { MOODS } from '../generate/vocabulary.js';

export interface AddAlbumOptions {
  /** Existing artist by ratingKey, or by name (created when missing). */
  artistKey?: string;
  artist?: string;
  title?: string;
  tracks?: number;
  year?: number;
  genre?: string;
  /** Track titles; generated when absent. */
  trackTitles?: string[];
  /** The section's id; default the first section. */
  sectionId?: number;
}

export function addAlbum(state: SimState, opts: AddAlbumOptions): { artist: SimArtist; album: SimAlbum; tracks: SimTrack[] } {
  const count = opts.trackTitles?.length ?? opts.tracks ?? 10;
  if (!Number.isInteger(count) || count < 1 || count > 200) throw new RangeError('tracks must be 1–200');
  const section = opts.sectionId === undefined ? state.sections[0] : state.section(opts.sectionId);
  if (!section) throw new RangeError(`unknown section ${opts.sectionId}`);
  const rng = createRng(state.library.nextRatingKey * 7919 + state.library.seed);
  const names = new NameMaker(rng);
  const now = state.clock();
  let artist: SimArtist | undefined;
  if (opts.artistKey !== undefined) {
    artist = state.artist(opts.artistKey);
    if (!artist || state.sectionOf(opts.artistKey) !== section)
      throw new RangeError(`unknown artist ${opts.artistKey} in section ${section.id}`);
  } else if (opts.artist !== undefined) {
    const wanted = opts.artist.toLowerCase();
    artist = section.artists.find((a) => a.title.toLowerCase() === wanted);
  }
  const artistIsNew = artist === undefined;
  const genre = opts.genre ?? artist?.genres[0] ?? 'Pop/Rock';
  artist ??= {
    ratingKey: state.nextRatingKey(),
    title: opts.artist ?? names.artist(),
    addedAt: now,
    updatedAt: now,
    genres: [genre],
    styles: [],
    moods: rng.sample(MOODS, 3),
  };
  const album: SimAlbum = {
    ratingKey: state.nextRatingKey(),
    artistKey: artist.ratingKey,
    title: opts.title ?? names.album(artist.title, 1),
    year: opts.year ?? new Date(now * 1000).getUTCFullYear(),
    kind: 'added',
    addedAt: now,
    updatedAt: now,
    genres: [genre],
    styles: [],
    moods: rng.sample(MOODS, 3),
    subformats: [],
  };
  const taken = new Set<string>();
  const tracks: SimTrack[] = [];
  for (let i = 0; i < count; i++) {
    tracks.push({
      ratingKey: state.nextRatingKey(),
      albumKey: album.ratingKey,
      title: opts.trackTitles?.[i] ?? names.track(taken),
      index: i + 1,
      disc: 1,
      duration: songDuration(rng, 230),
      addedAt: now,
      updatedAt: now,
      genres: album.genres,
      moods: rng.sample(album.moods, rng.int(0, 2)),
      styles: [],
    });
  }
  state.addItems(artist, artistIsNew, album, tracks, section);
  return { artist, album, tracks };
}
