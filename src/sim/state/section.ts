// One music section of the simulated server: what it is (`info`), its items and its per-type lists.
// Lookups by ratingKey stay server-wide in SimState (keys are unique across sections, as in Plex); a
// section only answers "which items are mine, in library order".
import type { SimSectionInfo, SimArtist, SimAlbum, SimTrack } from '../library.js';
import type { ItemRef, ItemType } from './item-ref.js';

export class SimSection {
  /** Every item of a type, in library order (the default order of `/all`). */
  readonly lists: Record<ItemType, ItemRef[]> = { artist: [], album: [], track: [] };

  constructor(
    readonly info: SimSectionInfo,
    readonly artists: SimArtist[],
    readonly albums: SimAlbum[],
    readonly tracks: SimTrack[],
  ) {}

  get id(): number {
    return this.info.id;
  }
  get title(): string {
    return this.info.title;
  }
  get uuid(): string {
    return this.info.uuid;
  }

  /** The attributes every item of the section carries. */
  itemAttrs(): { librarySectionTitle: string; librarySectionID: number; librarySectionKey: string } {
    return { librarySectionTitle: this.title, librarySectionID: this.id, librarySectionKey: `/library/sections/${this.id}` };
  }
}
