// Plex items → cache rows, fed with the real samples: the JSON album from the API spec and the
// XML track captured from a 2026 server (converted to the JSON shape per PLEX-API.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { albumItem, artistItem, mapItem, trackItem } from '../../../src/library/sync-mapping.js';
import type { PlexAlbum, PlexItem, PlexTrack } from '../../../src/plex/types.js';
import { plexXmlToJson } from './xml-to-json.js';

const samples = new URL('../../fixtures/plex-samples/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, samples), 'utf8');

describe('mapping Plex items to cache rows', () => {
  it('maps the JSON album sample (critic rating, no user rating, genres)', () => {
    const body = JSON.parse(read('pms-json-section-albums-spec-example.json')) as { MediaContainer: { Metadata: PlexItem[] } };
    const mapped = mapItem(body.MediaContainer.Metadata[0]);
    expect(mapped).toEqual({
      kind: 'album',
      row: {
        rating_key: '265',
        artist_key: '251',
        artist_title: '“Weird Al” Yankovic',
        title: 'Mandatory Fun',
        year: 2014,
        critic_rating: 8,
        user_rating: null,
        last_rated_at: null,
        leaf_count: 12,
        is_live: 0,
        added_at: 1681152176,
        updated_at: 1715112705,
        thumb: '/library/metadata/265/thumb/1715112705',
      },
      tags: [{ item_key: '265', kind: 'genre', tag: 'Comedy/Spoken' }],
    });
  });

  it('maps the XML track sample through the same code path', () => {
    const body = plexXmlToJson(read('pms-xml-track-metadata-excerpt-2026.xml'));
    const [track] = body.MediaContainer.Metadata!;
    expect(track.index).toBe(1); // numeric attribute converted
    expect(track.ratingKey).toBe('809604'); // keys stay strings
    expect(mapItem(track as unknown as PlexItem)).toEqual({
      kind: 'track',
      row: {
        rating_key: '809604',
        album_key: '809603',
        artist_key: '809564',
        title: 'Rolling in the Deep',
        album_title: '21',
        artist_title: 'Adele',
        original_title: null,
        track_index: 1,
        disc_index: 1,
        year: 2011,
        duration_ms: null,
        user_rating: null,
        last_rated_at: null,
        view_count: null,
        skip_count: null,
        last_viewed_at: null,
        added_at: null,
        updated_at: null,
        thumb: '/library/metadata/809603/thumb/1769633505',
      },
      tags: [],
    });
  });

  it('maps the captured compilation track: originalTitle and moods', () => {
    const payload = JSON.parse(read('webhook-media.play-track-with-mood-captured-2021.json')) as { Metadata: PlexTrack };
    const mapped = trackItem({ ...payload.Metadata, type: 'track' })!;
    expect(mapped.row).toMatchObject({
      artist_title: 'Various Artists',
      original_title: 'Britney Spears',
      year: 2014,
      disc_index: 2,
      track_index: 6,
    });
    expect(mapped.tags.map((t) => t.tag)).toEqual(['Lively', 'Marching', 'Pulsing', 'Strong', 'Swinging']);
  });

  it('reads absent, zero and cleared values as null, and the Live subformat as is_live', () => {
    const album = albumItem({
      type: 'album',
      ratingKey: '9',
      parentRatingKey: '1',
      parentTitle: 'A',
      title: 'Live at X',
      rating: 0,
      Subformat: [{ tag: 'Live' }],
      Mood: [{ tag: 'Warm' }, { tag: 'Warm' }],
    } as PlexAlbum)!;
    expect(album.row.critic_rating).toBeNull();
    expect(album.row.user_rating).toBeNull();
    expect(album.row.is_live).toBe(1);
    expect(album.tags).toEqual([
      { item_key: '9', kind: 'mood', tag: 'Warm' },
      { item_key: '9', kind: 'subformat', tag: 'Live' },
    ]);
    expect(artistItem({ type: 'artist', ratingKey: '1', title: 'A', userRating: -1 })!.row.user_rating).toBeNull();
    expect(artistItem({ type: 'artist', ratingKey: '1', title: 'A', userRating: 7 })!.row.user_rating).toBe(7);
  });

  it('maps plays, skips and the last play, from numbers or XML strings; absent ones as null', () => {
    const base = { type: 'track', ratingKey: '5', parentRatingKey: '4', grandparentRatingKey: '3', title: 't' } as PlexTrack;
    expect(trackItem({ ...base, viewCount: 12, skipCount: 2, lastViewedAt: 1_700_000_000 })!.row).toMatchObject({
      view_count: 12,
      skip_count: 2,
      last_viewed_at: 1_700_000_000,
    });
    const fromXml = { ...base, viewCount: '3', skipCount: '1', lastViewedAt: '1700000001' } as unknown as PlexTrack;
    expect(trackItem(fromXml)!.row).toMatchObject({ view_count: 3, skip_count: 1, last_viewed_at: 1_700_000_001 });
    expect(trackItem(base)!.row).toMatchObject({ view_count: null, skip_count: null, last_viewed_at: null });
  });

  it('skips items without the keys the cache needs, and other types', () => {
    expect(trackItem({ type: 'track', ratingKey: '5', title: 't' } as PlexTrack)).toBeNull();
    expect(mapItem({ type: 'playlist', ratingKey: '5', title: 'p' } as unknown as PlexItem)).toBeNull();
  });
});
