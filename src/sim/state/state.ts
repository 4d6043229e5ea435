// The simulator's live state: the library plus indexes, ratings (per account) and change notifications.
// Everything that mutates goes through here so `version` (used by query caches) and webhooks stay right.
// A server can hold several music sections; ratingKey lookups are server-wide, and the shortcuts
// (`artists`, `tracks`, `lists`, `sectionId`) name the first section, the one most callers mean.
import type { SimLibrary, SimArtist, SimAlbum, SimTrack } from '../library.js';
import type { SimConfig } from '../config.js';
import type { SimStats } from '../stats.js';
import { TagRegistry } from './tag-registry.js';
import { SimSection } from './section.js';

export type { ItemRef, ItemType } from './item-ref.js';
import type { ItemRef, ItemType } from './item-ref.js';

export const OWNER_ACCOUNT_ID = 1;
export const TYPE_CODES: Record<ItemType, number> = { artist: 8, album: 9, track: 10 };
export const TYPE_BY_CODE: Record<string, ItemType> = { 8: 'artist', 9: 'album', 10: 'track' };

export interface RateOptions {
  /** false: store without any webhook (a missed delivery). */
  notify?: boolean;
  /** A shared user's account id: their own rating, never the owner's. Default: the owner. */
  account?: number;
}

export interface RatingEvent {
  /** `person`: rated in a Plex client (control API). `api`: written through `/:/rate` or a bulk edit. */
  origin: 'person' | 'api';
  ref: ItemRef;
  /** Stored value; undefined when cleared. */
  rating: number | undefined;
  account: number;
  notify: boolean;
}

export interface AddedEvent {
  artist: SimArtist;
  album: SimAlbum;
  tracks: SimTrack[];
}

export class SimState {
  readonly tags = new TagRegistry();
  readonly items = new Map<string, ItemRef>();
  readonly albumsByArtist = new Map<string, SimAlbum[]>();
  readonly tracksByAlbum = new Map<string, SimTrack[]>();
  /** Every music section, the first one first. */
  readonly sections: SimSection[];
  /** Items of the sections after the first; any other known key belongs to the first. */
  private readonly extraSectionOf = new Map<string, SimSection>();
  /** Bumped on every change; list caches compare it. */
  version = 0;
  /** Bumped when items are added or their metadata (tags, title) is edited — not on ratings or plays. */
  metadataVersion = 0;
  /** Epoch seconds; replaceable in tests. */
  clock: () => number = () => Math.floor(Date.now() / 1000);
  private readonly ratingListeners: ((e: RatingEvent) => void)[] = [];
  private readonly addedListeners: ((e: AddedEvent) => void)[] = [];

  constructor(
    readonly library: SimLibrary,
    readonly config: SimConfig,
    readonly stats: SimStats,
  ) {
    this.sections = [
      new SimSection(library.section, library.artists, library.albums, library.tracks),
      ...(library.extraSections ?? []).map((e) => new SimSection(e.section, e.artists, e.albums, e.tracks)),
    ];
    for (const section of this.sections) {
      for (const artist of section.artists) this.indexArtist(artist, section);
      for (const album of section.albums) this.indexAlbum(album, section);
      for (const track of section.tracks) this.indexTrack(track, section);
    }
    for (const list of this.tracksByAlbum.values()) list.sort((a, b) => a.disc - b.disc || a.index - b.index);
  }

  get artists(): SimArtist[] {
    return this.library.artists;
  }
  get albums(): SimAlbum[] {
    return this.library.albums;
  }
  get tracks(): SimTrack[] {
    return this.library.tracks;
  }
  /** The first section's lists by type. */
  get lists(): Record<ItemType, ItemRef[]> {
    return this.sections[0].lists;
  }
  get sectionId(): number {
    return this.library.section.id;
  }
  /** A section by its id (a route parameter or a number). */
  section(id: number | string): SimSection | undefined {
    return this.sections.find((s) => String(s.id) === String(id));
  }
  /** The section a known ratingKey belongs to. */
  sectionOf(key: string): SimSection {
    return this.extraSectionOf.get(key) ?? this.sections[0];
  }
  get machineIdentifier(): string {
    return this.library.machineIdentifier;
  }

  get(key: string): ItemRef | undefined {
    return this.items.get(key);
  }
  album(key: string): SimAlbum | undefined {
    const r = this.items.get(key);
    return r?.type === 'album' ? r.item : undefined;
  }
  artist(key: string): SimArtist | undefined {
    const r = this.items.get(key);
    return r?.type === 'artist' ? r.item : undefined;
  }
  track(key: string): SimTrack | undefined {
    const r = this.items.get(key);
    return r?.type === 'track' ? r.item : undefined;
  }

  albumOf(track: SimTrack): SimAlbum {
    return this.album(track.albumKey)!;
  }
  artistOf(album: SimAlbum): SimArtist {
    return this.artist(album.artistKey)!;
  }

  /** All tracks of an artist (album order), as `/allLeaves` lists them. */
  tracksOfArtist(artistKey: string): SimTrack[] {
    return (this.albumsByArtist.get(artistKey) ?? []).flatMap((a) => this.tracksByAlbum.get(a.ratingKey) ?? []);
  }

  /** The owner's rating, or a shared account's own rating when `account` is given. */
  getRating(key: string, account: number = OWNER_ACCOUNT_ID): number | undefined {
    if (account !== OWNER_ACCOUNT_ID) return this.library.accountRatings[String(account)]?.[key];
    return this.items.get(key)?.item.userRating;
  }

  /** A person rating in a Plex client: stores it and (unless notify is false) sends `media.rate`. */
  userRate(key: string, rating: number | null, opts: RateOptions = {}): number | undefined {
    return this.rate(key, rating, 'person', opts.account ?? OWNER_ACCOUNT_ID, opts.notify ?? true);
  }

  /** A rating written through the API (`/:/rate`); echoed as a webhook when `echoWebhooks` is on. */
  apiRate(key: string, rating: number | null): number | undefined {
    return this.rate(key, rating, 'api', OWNER_ACCOUNT_ID, this.config.echoWebhooks);
  }

  private rate(key: string, rating: number | null, origin: 'person' | 'api', account: number, notify: boolean): number | undefined {
    const ref = this.items.get(key);
    if (!ref) throw new RangeError(`unknown ratingKey ${key}`);
    const clearing = rating === null || rating === -1;
    if (!clearing && !(Number.isFinite(rating) && rating >= 0 && rating <= 10)) throw new RangeError(`rating out of range: ${rating}`);
    const value = clearing ? undefined : this.config.roundRatings ? Math.round(rating * 10) / 10 : rating;
    if (account === OWNER_ACCOUNT_ID) {
      const item = ref.item;
      if (value === undefined) delete item.userRating;
      else item.userRating = value;
      if (value !== undefined || this.config.clearTouchesLastRatedAt) item.lastRatedAt = this.clock();
      else delete item.lastRatedAt;
      this.stats.ratingWrites++;
    } else {
      this.library.accountRatings[String(account)] ??= {};
      const ratings = this.library.accountRatings[String(account)];
      if (value === undefined) delete ratings[key];
      else ratings[key] = value;
    }
    this.version++;
    const event: RatingEvent = { origin, ref, rating: value, account, notify };
    for (const listener of this.ratingListeners) listener(event);
    return value;
  }

  onRating(listener: (e: RatingEvent) => void): void {
    this.ratingListeners.push(listener);
  }
  onAdded(listener: (e: AddedEvent) => void): void {
    this.addedListeners.push(listener);
  }

  /** Registers freshly created items (add-album) in a section (default the first) and announces them. */
  addItems(artist: SimArtist, artistIsNew: boolean, album: SimAlbum, tracks: SimTrack[], section: SimSection = this.sections[0]): void {
    if (artistIsNew) {
      section.artists.push(artist);
      this.indexArtist(artist, section);
    }
    section.albums.push(album);
    this.indexAlbum(album, section);
    for (const track of tracks) {
      section.tracks.push(track);
      this.indexTrack(track, section);
    }
    this.version++;
    this.metadataVersion++;
    for (const listener of this.addedListeners) listener({ artist, album, tracks });
  }

  nextRatingKey(): string {
    return String(this.library.nextRatingKey++);
  }

  /** Marks an item's metadata as edited (tags, title): Plex bumps `updatedAt`. */
  touched(item: { updatedAt: number }): void {
    item.updatedAt = this.clock();
    this.version++;
    this.metadataVersion++;
  }

  private place(ref: ItemRef, section: SimSection): void {
    // Sections share one key space, as in Plex; a library file that reuses a key is refused, not merged.
    if (this.items.has(ref.item.ratingKey)) throw new Error(`sim: ratingKey ${ref.item.ratingKey} is used twice`);
    this.items.set(ref.item.ratingKey, ref);
    section.lists[ref.type].push(ref);
    if (section !== this.sections[0]) this.extraSectionOf.set(ref.item.ratingKey, section);
  }

  private indexArtist(artist: SimArtist, section: SimSection): void {
    const ref: ItemRef = { type: 'artist', item: artist };
    this.place(ref, section);
    this.registerTags(artist);
  }

  private indexAlbum(album: SimAlbum, section: SimSection): void {
    const ref: ItemRef = { type: 'album', item: album };
    this.place(ref, section);
    const list = this.albumsByArtist.get(album.artistKey);
    if (list) list.push(album);
    else this.albumsByArtist.set(album.artistKey, [album]);
    this.registerTags(album);
    for (const s of album.subformats) this.tags.ensure('subformat', s);
  }

  private indexTrack(track: SimTrack, section: SimSection): void {
    const ref: ItemRef = { type: 'track', item: track };
    this.place(ref, section);
    const list = this.tracksByAlbum.get(track.albumKey);
    if (list) list.push(track);
    else this.tracksByAlbum.set(track.albumKey, [track]);
    this.registerTags(track);
  }

  private registerTags(item: { genres: string[]; moods: string[]; styles: string[] }): void {
    for (const g of item.genres) this.tags.ensure('genre', g);
    for (const m of item.moods) this.tags.ensure('mood', m);
    for (const s of item.styles) this.tags.ensure('style', s);
  }
}
