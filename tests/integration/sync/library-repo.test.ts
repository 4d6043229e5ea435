import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { LibraryReads } from '../../../src/db/library-reads.js';
import { LibraryRepo } from '../../../src/db/library-repo.js';
import type { AlbumRow, CachedItem, TrackRow } from '../../../src/db/library-rows.js';
import { readSyncState, saveSyncState } from '../../../src/db/library-sync-state.js';

function track(key: string, over: Partial<TrackRow> = {}, tags: [string, string][] = []): CachedItem<TrackRow> {
  return {
    row: {
      rating_key: key,
      album_key: '20',
      artist_key: '10',
      title: `T${key}`,
      album_title: 'Album',
      artist_title: 'Artist',
      original_title: null,
      track_index: 1,
      disc_index: 1,
      year: 1999,
      duration_ms: 1000,
      user_rating: null,
      last_rated_at: null,
      view_count: null,
      skip_count: null,
      last_viewed_at: null,
      added_at: 1,
      updated_at: 1,
      thumb: null,
      ...over,
    },
    tags: tags.map(([kind, tag]) => ({ item_key: key, kind: kind as 'mood', tag })),
  };
}

const album = (over: Partial<AlbumRow> = {}): CachedItem<AlbumRow> => ({
  row: {
    rating_key: '20',
    artist_key: '10',
    artist_title: 'Artist',
    title: 'Album',
    year: 1999,
    critic_rating: null,
    user_rating: null,
    last_rated_at: null,
    leaf_count: 2,
    is_live: 0,
    added_at: 1,
    updated_at: 1,
    thumb: null,
    ...over,
  },
  tags: [],
});

describe('library repository', () => {
  let dir: string;
  let handle: DatabaseHandle;
  let repo: LibraryRepo;
  let reads: LibraryReads;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sagewire-repo-'));
    handle = await openDatabase(join(dir, 'db.sqlite'));
    repo = new LibraryRepo(handle.sqlite);
    reads = new LibraryReads(handle.sqlite);
  });
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts added, updated and unchanged items, and replaces tags', () => {
    expect(repo.upsert('track', [track('1', {}, [['mood', 'Calm']]), track('2')])).toEqual({ added: 2, updated: 0 });
    expect(repo.upsert('track', [track('1', {}, [['mood', 'Calm']]), track('2')])).toEqual({ added: 0, updated: 0 });
    expect(
      repo.upsert('track', [
        track('1', {}, [
          ['mood', 'Dark'],
          ['genre', 'Rock'],
        ]),
        track('2', { user_rating: 8 }),
      ]),
    ).toEqual({ added: 0, updated: 2 });
    expect(
      reads
        .tagsFor(['1'])
        .get('1')!
        .map((t) => `${t.kind}:${t.tag}`)
        .sort(),
    ).toEqual(['genre:Rock', 'mood:Dark']);
    expect(reads.itemsByKeys(['2', '404']).tracks.map((t) => t.user_rating)).toEqual([8]);
    expect(reads.counts()).toEqual({ artists: 0, albums: 0, tracks: 2 });
  });

  it('deletes items with their tags', () => {
    repo.upsert('track', [track('1', {}, [['mood', 'Calm']]), track('2')]);
    expect(repo.delete('track', ['1', '99'])).toBe(1);
    expect(repo.keys('track')).toEqual(['2']);
    expect(reads.tagVocabulary('mood')).toEqual([]);
  });

  it('copies a renamed album title and year down to its tracks', () => {
    repo.upsert('album', [album()]);
    repo.upsert('track', [track('1'), track('2')]);
    repo.upsert('album', [album({ title: 'Renamed', year: 2001 })]);
    expect(repo.propagateParents([], [{ rating_key: '20', title: 'Renamed', year: 2001 }])).toBe(2);
    expect(reads.tracksByAlbum('20').map((t) => [t.album_title, t.year])).toEqual([
      ['Renamed', 2001],
      ['Renamed', 2001],
    ]);
  });

  it('reads by artist and the tag vocabulary', () => {
    repo.upsert('album', [album()]);
    repo.upsert('track', [
      track('1', {}, [['mood', 'Calm']]),
      track('2', {}, [
        ['mood', 'Calm'],
        ['mood', 'Warm'],
      ]),
    ]);
    expect(reads.tracksByArtist('10')).toHaveLength(2);
    expect(reads.albumsByArtist('10').map((a) => a.title)).toEqual(['Album']);
    expect(reads.tagVocabulary('mood')).toEqual([
      { tag: 'Calm', count: 2 },
      { tag: 'Warm', count: 1 },
    ]);
    expect([...reads.iterateTracks()].map((t) => t.rating_key)).toEqual(['1', '2']);
  });

  it('keeps one sync state row and empties everything on clear', async () => {
    const state = {
      section_id: 3,
      section_uuid: 'u',
      machine_identifier: 'm',
      last_full_sync_at: 1,
      last_sync_at: 1,
      watermark_updated_at: 5,
      watermark_added_at: 5,
      watermark_rated_at: 5,
      last_deletion_scan_at: 1,
    };
    await saveSyncState(handle.db, state);
    await saveSyncState(handle.db, { ...state, watermark_rated_at: 9 });
    expect(await readSyncState(handle.db)).toMatchObject({ section_id: 3, watermark_rated_at: 9 });
    await saveSyncState(handle.db, { ...state, section_id: 4 });
    expect(await handle.db.selectFrom('sync_state').selectAll().execute()).toHaveLength(1);
    repo.upsert('track', [track('1')]);
    repo.clear();
    expect(reads.counts().tracks).toBe(0);
    expect(await readSyncState(handle.db)).toBeNull();
  });
});
