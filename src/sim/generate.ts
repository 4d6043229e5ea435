// Deterministic library generator: (seed, tracks) → a SimLibrary with exactly `tracks` tracks and the shapes
// Sagewire's rating model has rules for (compilations, twins, live albums, short tracks, brackets).
import { createHash } from 'node:crypto';
import { createRng, type Rng } from './generate/prng.js';
import {
  GENRES,
  GENRE_WEIGHTS,
  MOODS,
  VENUES,
  COMPILATION_TITLES,
  BEST_OF_TITLES,
  STUDIOS,
  type GenreFamily,
} from './generate/vocabulary.js';
import { NameMaker } from './generate/names.js';
import { TasteModel, assignManualRatings } from './generate/taste.js';
import { simulateListening } from './generate/listening.js';
import {
  studioTracks,
  bestOfTracks,
  liveTracks,
  deluxeTracks,
  compilationTracks,
  isRepeatable,
  type TrackDraft,
} from './generate/albums.js';
import type { SimLibrary, SimArtist, SimAlbum, SimTrack, AlbumKind, SimSectionInfo } from './library.js';

export interface GenerateOptions {
  tracks: number;
  seed: number;
  sectionTitle?: string;
  /** Default 1; a further music section gets 2, 3, … */
  sectionId?: number;
  /** The first ratingKey handed out; default 1000. */
  firstRatingKey?: number;
  machineIdentifier?: string;
  /** When the listening history ends (epoch seconds). Default: the library's fixed end, mid-2025. A later
   *  moment moves every last play forward by the difference, so "not played for a year" means the same
   *  relative to a demo's today as to the library's end; plays and ratings are otherwise unchanged. */
  listeningEndsAt?: number;
}

/** Library time runs from 2016 to mid-2025; fixed, so a seed always yields the same timestamps. */
const START = 1_451_606_400; // 2016-01-01
export const LIBRARY_END = 1_748_736_000; // 2025-06-01
const VARIOUS = 'Various Artists';

interface ArtistCtx {
  artist: SimArtist;
  family: GenreFamily;
  styles: string[];
  moods: string[];
  taken: Set<string>;
  studio: SimAlbum[];
  studioTracks: SimTrack[];
  nextYear: number;
  hasBestOf: boolean;
}

function weightedFamily(rng: Rng): GenreFamily {
  const total = GENRE_WEIGHTS.reduce((a, b) => a + b, 0);
  let x = rng.next() * total;
  for (let i = 0; i < GENRES.length; i++) {
    x -= GENRE_WEIGHTS[i];
    if (x < 0) return GENRES[i];
  }
  return GENRES[0];
}

export function machineIdFor(seed: number): string {
  return createHash('sha1').update(`sagewire-sim-${seed}`).digest('hex');
}

function sectionInfo(machineIdentifier: string, id: number, title: string): SimSectionInfo {
  return {
    id,
    title,
    // The fourth group counts sections from 9c0f, so the first section keeps the uuid it always had.
    uuid: `${machineIdentifier.slice(0, 8)}-5a6e-4d1e-${(0x9c0e + id).toString(16)}-${machineIdentifier.slice(8, 20)}`,
    createdAt: START,
    updatedAt: LIBRARY_END,
    location: id === 1 ? '/music' : `/music-${id}`,
  };
}

export interface ExtraSectionSpec {
  title: string;
  tracks: number;
  /** Default: derived from the library's seed and the section id. */
  seed?: number;
}

/** Extra sections' ratingKeys start at a round number past every key in use, which keeps them easy to tell apart. */
const SECTION_KEY_BLOCK = 100_000;

/**
 * Appends generated music sections to a library: ids after the last section's, each from its own seed, and
 * ratingKeys above every key in use (the library's `nextRatingKey` moves past them, so items added later,
 * playlists included, never collide either).
 */
export function addExtraSections(library: SimLibrary, specs: readonly ExtraSectionSpec[], listeningEndsAt?: number): void {
  if (specs.length === 0) return;
  library.extraSections ??= [];
  const extras = library.extraSections;
  for (const spec of specs) {
    const titles = [library.section.title, ...extras.map((e) => e.section.title)];
    if (spec.title.trim() === '') throw new Error('sim: an extra section needs a title');
    if (titles.some((t) => t.toLowerCase() === spec.title.toLowerCase()))
      throw new Error(`sim: a section is already titled "${spec.title}"`);
    if (!Number.isInteger(spec.tracks) || spec.tracks < 1)
      throw new Error(`sim: section "${spec.title}" needs a positive whole number of tracks`);
    const id = Math.max(library.section.id, ...extras.map((e) => e.section.id)) + 1;
    const seed = (spec.seed ?? Math.imul(library.seed, 31) + id) >>> 0;
    const generated = new Generator(seed, spec.tracks, {
      tracks: spec.tracks,
      seed,
      sectionId: id,
      sectionTitle: spec.title,
      firstRatingKey: Math.ceil((library.nextRatingKey + 1) / SECTION_KEY_BLOCK) * SECTION_KEY_BLOCK,
      machineIdentifier: library.machineIdentifier,
      listeningEndsAt,
    }).library;
    extras.push({ section: generated.section, artists: generated.artists, albums: generated.albums, tracks: generated.tracks });
    library.nextRatingKey = generated.nextRatingKey;
  }
}

export function generateLibrary(opts: GenerateOptions): SimLibrary {
  const total = Math.floor(opts.tracks);
  if (!Number.isFinite(total) || total < 0) throw new Error('sim: tracks must be a non-negative integer');
  return new Generator(opts.seed >>> 0, total, opts).library;
}

class Generator {
  readonly library: SimLibrary;
  private readonly rng: Rng;
  private readonly names: NameMaker;
  private readonly taste: TasteModel;
  private remaining: number;
  private nextKey: number;
  private albumOrdinal = 0;
  private readonly estimatedAlbums: number;
  private readonly pool: SimTrack[] = []; // repeatable studio tracks, for compilations
  private readonly artistTitle = new Map<string, string>();
  private various?: SimArtist;
  private readonly emptyTags: string[] = [];

  constructor(
    seed: number,
    total: number,
    private readonly opts: GenerateOptions,
  ) {
    this.rng = createRng(seed);
    this.names = new NameMaker(this.rng.fork(1));
    this.taste = new TasteModel(this.rng.fork(2));
    this.remaining = total;
    this.nextKey = opts.firstRatingKey ?? 1000;
    this.estimatedAlbums = Math.max(1, total / 12);
    const machineIdentifier = opts.machineIdentifier ?? machineIdFor(seed);
    this.library = {
      format: 'sagewire-sim-library',
      version: 1,
      seed,
      machineIdentifier,
      friendlyName: 'Sagewire Simulator',
      section: sectionInfo(machineIdentifier, opts.sectionId ?? 1, opts.sectionTitle ?? 'Music'),
      nextRatingKey: 0,
      nextPlaylistItemId: 1,
      artists: [],
      albums: [],
      tracks: [],
      playlists: [],
      accountRatings: {},
      taste: this.taste.taste,
    };
    while (this.remaining > 0) this.artistCareer();
    this.library.nextRatingKey = this.nextKey;
    const ratingRng = this.rng.fork(3);
    simulateListening(this.library, this.rng.fork(4), LIBRARY_END);
    assignManualRatings(this.library, ratingRng, LIBRARY_END);
    const shift = Math.max(0, Math.floor((this.opts.listeningEndsAt ?? LIBRARY_END) - LIBRARY_END));
    if (shift > 0) for (const track of this.library.tracks) if (track.lastViewedAt !== undefined) track.lastViewedAt += shift;
  }

  private key(): string {
    return String(this.nextKey++);
  }

  /** Album size honouring the exact total: never leaves a remainder too small for a real album. */
  private size(want: number): number {
    let s = Math.min(want, this.remaining);
    const left = this.remaining - s;
    if (left > 0 && left < 6) s = this.remaining <= 26 ? this.remaining : s - (6 - left);
    return s;
  }

  private addedAtForNextAlbum(): number {
    const frac = Math.min(1, this.albumOrdinal++ / this.estimatedAlbums);
    return Math.floor(START + frac * (LIBRARY_END - START - 86_400 * 30)) + this.rng.int(0, 86_400);
  }

  private artistCareer(): void {
    const rng = this.rng;
    const family = weightedFamily(rng);
    const addedAt = this.addedAtForNextAlbum() - 1;
    const artist: SimArtist = {
      ratingKey: this.key(),
      title: this.names.artist(),
      addedAt,
      updatedAt: addedAt + rng.int(0, 86_400 * 20),
      genres: [family.genre],
      styles: rng.sample(family.styles, rng.int(2, 4)),
      moods: rng.sample(MOODS, rng.int(3, 5)),
    };
    this.library.artists.push(artist);
    this.artistTitle.set(artist.ratingKey, artist.title);
    this.taste.artist(artist.ratingKey, false);
    const albumCount = 1 + Math.floor(19 * rng.next() ** 3);
    // Careers start early enough that ~2 years per album still ends by 2025.
    const firstYear = Math.max(family.from, Math.min(rng.int(family.from, 2021), 2025 - 2 * albumCount - rng.int(0, 4)));
    const ctx: ArtistCtx = {
      artist,
      family,
      styles: artist.styles,
      moods: rng.sample(MOODS, rng.int(6, 10)),
      taken: new Set(),
      studio: [],
      studioTracks: [],
      nextYear: Math.max(1955, firstYear),
      hasBestOf: false,
    };
    for (let i = 0; i < albumCount && this.remaining > 0; i++) {
      this.artistAlbum(ctx, i);
      if (this.pool.length > 150 && this.remaining > 0 && rng.chance(0.05)) this.compilation();
    }
  }

  private artistAlbum(ctx: ArtistCtx, ordinal: number): void {
    const rng = this.rng;
    const year = Math.min(2025, ctx.nextYear);
    ctx.nextYear = year + rng.int(1, 3);
    const repeatable = ctx.studioTracks.filter(isRepeatable);
    if (ctx.studio.length >= 2 && !ctx.hasBestOf && repeatable.length >= 10 && rng.chance(0.15)) {
      ctx.hasBestOf = true;
      const count = this.size(Math.min(rng.int(12, 20), repeatable.length));
      const title = rng.pick(BEST_OF_TITLES).replace('{artist}', ctx.artist.title);
      this.album(ctx, 'bestof', title, year, bestOfTracks(rng, repeatable, count, year));
    } else if (repeatable.length >= 8 && rng.chance(0.09)) {
      const count = this.size(Math.min(rng.int(8, 20), repeatable.length + 2));
      const venue = rng.pick(VENUES);
      const title = rng.chance(0.5) ? `Live at ${venue}` : `Live at ${venue} ${year}`;
      this.album(ctx, 'live', title, year, liveTracks(rng, repeatable, count));
    } else if (ctx.studio.length >= 1 && rng.chance(0.04)) {
      const original = rng.pick(ctx.studio);
      const originalTracks = this.albumTracks.get(original.ratingKey) ?? [];
      const reissueYear = Math.min(2025, Math.max(original.year + 1, original.year + rng.int(15, 40)));
      const count = this.size(originalTracks.length + rng.int(1, 4));
      const title = `${original.title} (${rng.chance(0.5) ? 'Deluxe Edition' : 'Remastered'})`;
      this.album(ctx, 'deluxe', title, reissueYear, deluxeTracks(rng, this.names, ctx.taken, originalTracks, count, reissueYear));
    } else {
      const count = this.size(rng.int(6, 14) + (rng.chance(0.3) ? rng.int(0, 6) : 0));
      const drafts = studioTracks(rng, this.names, ctx.taken, count, ctx.family.trackSeconds, ctx.family.genre === 'Rap');
      const album = this.album(ctx, 'studio', this.names.album(ctx.artist.title, ordinal), year, drafts);
      ctx.studio.push(album);
    }
  }

  private compilation(): void {
    const rng = this.rng;
    if (!this.various) {
      const addedAt = this.addedAtForNextAlbum() - 1;
      this.various = { ratingKey: this.key(), title: VARIOUS, addedAt, updatedAt: addedAt, genres: [], styles: [], moods: [] };
      this.library.artists.push(this.various);
      this.artistTitle.set(this.various.ratingKey, VARIOUS);
      this.taste.artist(this.various.ratingKey, true);
    }
    const year = rng.int(1985, 2025);
    const base = rng.pick(COMPILATION_TITLES);
    const title = rng.chance(0.5) ? `${base} ${year}` : `${base}, Vol. ${rng.int(1, 12)}`;
    const count = this.size(rng.int(12, 20));
    const artistOf = (t: SimTrack): string => this.artistTitle.get(this.albumArtistKey(t)) ?? '';
    const family = weightedFamily(rng);
    const ctx: ArtistCtx = {
      artist: this.various,
      family,
      styles: rng.sample(family.styles, 2),
      moods: rng.sample(MOODS, 6),
      taken: new Set(),
      studio: [],
      studioTracks: [],
      nextYear: year,
      hasBestOf: false,
    };
    this.album(ctx, 'compilation', title, year, compilationTracks(rng, this.pool, artistOf, count));
  }

  private readonly albumArtist = new Map<string, string>();
  private readonly albumTracks = new Map<string, SimTrack[]>();
  private albumArtistKey(t: SimTrack): string {
    return this.albumArtist.get(t.albumKey) ?? '';
  }

  private album(ctx: ArtistCtx, kind: AlbumKind, title: string, year: number, drafts: TrackDraft[]): SimAlbum {
    const rng = this.rng;
    const addedAt = this.addedAtForNextAlbum();
    const album: SimAlbum = {
      ratingKey: this.key(),
      artistKey: ctx.artist.ratingKey,
      title,
      year,
      kind,
      addedAt,
      updatedAt: Math.min(LIBRARY_END, addedAt + rng.int(60, 86_400 * 45)),
      genres: rng.chance(0.2) ? [ctx.family.genre, weightedFamily(rng).genre].filter((g, i, a) => a.indexOf(g) === i) : [ctx.family.genre],
      styles: rng.sample(ctx.styles, rng.int(1, Math.min(3, ctx.styles.length))),
      moods: rng.sample(ctx.moods, rng.int(3, 6)),
      subformats: kind === 'live' ? ['Live'] : kind === 'compilation' ? ['Compilation'] : this.emptyTags,
    };
    if (rng.chance(0.15)) album.studio = rng.pick(STUDIOS);
    this.library.albums.push(album);
    this.albumArtist.set(album.ratingKey, ctx.artist.ratingKey);
    const quality = this.taste.album(album.ratingKey, ctx.artist.ratingKey, kind);
    if (rng.chance(kind === 'compilation' ? 0.1 : 0.36)) {
      album.rating = Math.round(Math.min(10, Math.max(2, 7.4 + 0.6 * quality + 0.7 * rng.normal())) * 10) / 10;
    }
    const twoDiscs = drafts.length >= 14 && rng.chance(kind === 'bestof' ? 0.5 : 0.2);
    const discSplit = twoDiscs ? Math.ceil(drafts.length / 2) : drafts.length;
    const trackGenres = album.genres.slice(0, 1); // shared by the album's tracks; edits always replace arrays
    drafts.forEach((d, i) => {
      const track: SimTrack = {
        ratingKey: this.key(),
        albumKey: album.ratingKey,
        title: d.title,
        index: i < discSplit ? i + 1 : i - discSplit + 1,
        disc: i < discSplit ? 1 : 2,
        duration: d.duration,
        addedAt: addedAt + i,
        updatedAt: album.updatedAt,
        genres: trackGenres,
        moods: rng.chance(0.35) ? this.emptyTags : rng.sample(album.moods, rng.int(1, 3)),
        styles: this.emptyTags,
      };
      if (d.originalTitle && d.originalTitle !== ctx.artist.title) track.originalTitle = d.originalTitle;
      if (d.sourceKey) track.sourceKey = d.sourceKey;
      const truth = this.taste.track(track.ratingKey, album.ratingKey, { sourceKey: d.sourceKey, short: d.short, live: kind === 'live' });
      // Listening has its own stream (generate/listening.ts). These draws keep the main stream's sequence, so
      // the albums, titles and sizes a seed yields do not depend on how listening is modelled.
      if (rng.chance(0.3 + 0.06 * (truth - 6))) rng.next();
      this.library.tracks.push(track);
      if (kind === 'studio') {
        const list = this.albumTracks.get(album.ratingKey);
        if (list) list.push(track);
        else this.albumTracks.set(album.ratingKey, [track]);
      }
      if (kind === 'studio') {
        ctx.studioTracks.push(track);
        if (isRepeatable(track) && rng.chance(0.5)) this.pool.push(track);
      }
    });
    this.remaining -= drafts.length;
    return album;
  }
}
