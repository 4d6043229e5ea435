// The simulator's live state: the library plus indexes, ratings (per account) and change notifications.
// Everything that mutates goes through here so `version` (used by query caches) and webhooks stay right.
import type { SimLibrary, SimArtist, SimAlbum, SimTrack } from '../library.js';
import type { SimConfig } from '../config.js';
import type { SimStats } from '../stats.js';
import { TagRegistry } from './tag-registry.js';

export type ItemType = 'artist' | 'album' | 'track';
export type ItemRef = { type: 'artist'; item: SimArtist } | { type: 'album'; item: SimAlbum } | { type: 'track'; item: SimTrack };

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
  /** Every item of a type, in library order (the default order of `/all`). */
  readonly lists: Record<ItemType, ItemRef[]> = { artist: [], album: [], track: [] };
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
    for (const artist of library.artists) this.indexArtist(artist);
    for (const album of library.albums) this.indexAlbum(album);
    for (const track of library.tracks) this.indexTrack(track);
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
  get sectionId(): number {
    return this.library.section.id;
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

  /** Registers freshly created items (add-album) and announces them. */
  addItems(artist: SimArtist, artistIsNew: boolean, album: SimAlbum, tracks: SimTrack[]): void {
    if (artistIsNew) {
      this.library.artists.push(artist);
      this.indexArtist(artist);
    }
    this.library.albums.push(album);
    this.indexAlbum(album);
    for (const track of tracks) {
      this.library.tracks.push(track);
      this.indexTrack(track);
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

  private indexArtist(artist: SimArtist): void {
    const ref: ItemRef = { type: 'artist', item: artist };
    this.items.set(artist.ratingKey, ref);
    this.lists.artist.push(ref);
    this.registerTags(artist);
  }

  private indexAlbum(album: SimAlbum): void {
    const ref: ItemRef = { type: 'album', item: album };
    this.items.set(album.ratingKey, ref);
    this.lists.album.push(ref);
    const list = this.albumsByArtist.get(album.artistKey);
    if (list) list.push(album);
    else this.albumsByArtist.set(album.artistKey, [album]);
    this.registerTags(album);
    for (const s of album.subformats) this.tags.ensure('subformat', s);
  }

  private indexTrack(track: SimTrack): void {
    const ref: ItemRef = { type: 'track', item: track };
    this.items.set(track.ratingKey, ref);
    this.lists.track.push(ref);
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
