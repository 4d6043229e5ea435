// An item of the simulated library with its type: what lookups by ratingKey return, in any section.
import type { SimAlbum, SimArtist, SimTrack } from '../library.js';

export type ItemType = 'artist' | 'album' | 'track';
export type ItemRef = { type: 'artist'; item: SimArtist } | { type: 'album'; item: SimAlbum } | { type: 'track'; item: SimTrack };
