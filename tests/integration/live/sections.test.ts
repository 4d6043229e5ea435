// Several music sections: PLEX_MUSIC_LIBRARY names two, each section keeps its state in its own database
// (library cache, runs, journal, inbox), a rating in either section is routed to its own inbox and
// propagated there only, and the placement survives a reorder of the list.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Sagewire } from '../../../src/app.js';
import { placeSections, sectionFileName } from '../../../src/app/sections.js';
import { loadConfig } from '../../../src/config.js';
import type { DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/log.js';
import { PlexClient } from '../../../src/plex/index.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { waitUntil } from '../../support/wait.js';

/** A path only placed, never opened. */
const DB = join('data', 'sagewire.db');

const API_TOKEN = 'sections-api-token-0123456789abcdef';

const count = async (database: DatabaseHandle, table: 'tracks' | 'albums' | 'webhook_events' | 'write_journal') =>
  Number(
    (
      await database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('placing sections in state databases', () => {
  it.each([
    { names: ['Music'], recorded: {}, main: 'Music', files: { music: '' } },
    {
      names: ['Music', 'Family'],
      recorded: { music: '' },
      main: 'Music',
      files: { music: '', family: sectionFileName(DB, 'Family') },
    },
    // Reordered: the main database stays with the section it holds.
    { names: ['Family', 'Music'], recorded: { music: '', family: 'f.db' }, main: 'Music', files: { music: '', family: 'f.db' } },
    // The main section dropped: the main database goes to a section with no file of its own.
    { names: ['Family', 'Jazz'], recorded: { music: '', family: 'f.db' }, main: 'Jazz', files: { family: 'f.db', jazz: '' } },
  ])('$names with $recorded → main $main', ({ names, recorded, main, files }) => {
    const placed = placeSections(DB, names, recorded as Record<string, string>);
    expect(placed.sections.find((s) => s.main)?.name).toBe(main);
    expect(placed.files).toEqual(files);
    for (const s of placed.sections) expect(s.dbPath).toBe(s.main ? DB : join('data', placed.files[s.name.toLowerCase()]));
  });

  it('names files readably and apart', () => {
    expect(sectionFileName(DB, 'Family Music')).toMatch(/^sagewire\.section-family-music-[0-9a-f]{6}\.db$/);
    expect(sectionFileName(DB, 'A/B')).not.toBe(sectionFileName(DB, 'A B'));
  });
});

describe('two music sections in one Sagewire', () => {
  let sim: RunningSimulator;
  let app: Sagewire;
  let url: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'sagewire-sections-'));

  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      tracks: 200,
      seed: 3,
      extraMusicSections: [{ title: 'Family Music', tracks: 120 }],
      log: () => {},
    });
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      ADMIN_PASSWORD: 'sections-admin-password',
      LOG_LEVEL: 'silent',
      PLEX_URL: sim.url,
      PLEX_TOKEN: sim.token,
      PLEX_MUSIC_LIBRARY: 'Music, Family Music',
      API_TOKEN: API_TOKEN,
    });
    app = await buildApp(config, createLogger('silent'));
    url = await app.listen();
    sim.webhooks.add(`${url}/webhooks/plex/${app.webhookSecret}`);
    await app.live!.ready;
    await app.otherSections[0].live!.ready;
  });

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps each section’s library cache in its own database file', async () => {
    expect(app.otherSections.map((s) => s.name)).toEqual(['Family Music']);
    const family = app.otherSections[0];
    expect(existsSync(join(dataDir, sectionFileName(join(dataDir, 'sagewire.db'), 'Family Music')))).toBe(true);
    expect(await count(app.database, 'tracks')).toBe(sim.state.section(1)!.tracks.length);
    expect(await count(family.database, 'tracks')).toBe(sim.state.section(2)!.tracks.length);
    expect(family.live!.section!.key).toBe('2');
    expect(app.live!.section!.key).toBe(String(sim.musicSectionId));
  });

  it('answers the API for the section a program names (X-Sagewire-Section or ?section=), the main one otherwise', async () => {
    const status = async (init: { header?: string; query?: string }) => {
      const res = await fetch(`${url}/api/status${init.query ? `?section=${encodeURIComponent(init.query)}` : ''}`, {
        headers: { Authorization: `Bearer ${API_TOKEN}`, ...(init.header ? { 'X-Sagewire-Section': init.header } : {}) },
      });
      return {
        code: res.status,
        body: (await res.json()) as { plex: { musicLibrary: string }; library: { tracks: number }; error?: string },
      };
    };
    const main = await status({});
    expect(main.body.plex.musicLibrary).toBe('Music');
    expect(main.body.library.tracks).toBe(sim.state.section(1)!.tracks.length);
    const family = await status({ header: 'family music' });
    expect(family.body.plex.musicLibrary).toBe('Family Music');
    expect(family.body.library.tracks).toBe(sim.state.section(2)!.tracks.length);
    expect((await status({ query: 'Family Music' })).body.library.tracks).toBe(sim.state.section(2)!.tracks.length);
    const unknown = await status({ header: 'Audiobooks' });
    expect(unknown.code).toBe(404);
    expect(unknown.body.error).toContain('No music section “Audiobooks” is chosen in Setup (chosen: Music, Family Music)');
  });

  it('routes a rating in the second section to its own inbox and propagates it there only', async () => {
    const family = app.otherSections[0];
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const mainEvents = await count(app.database, 'webhook_events');
    const mainJournal = await count(app.database, 'write_journal');
    const track = await family.database.db.selectFrom('tracks').select(['rating_key', 'album_key']).limit(1).executeTakeFirstOrThrow();
    // The receiver learns the second section's id from the main database (read every few seconds).
    await waitUntil(
      async () =>
        (await app.database.db.selectFrom('settings').select('value').where('key', '=', 'MORE_MUSIC_SECTION_IDS').executeTakeFirst())
          ?.value === '2',
      'the second section recorded for the receiver',
    );
    await plex.rate(track.rating_key, 10);
    await sim.webhooks.idle();
    const done = await waitUntil(
      () =>
        family.database.db
          .selectFrom('webhook_events')
          .select(['status', 'outcome'])
          .where('item_key', '=', track.rating_key)
          .where('status', 'in', ['done', 'ignored'])
          .executeTakeFirst(),
      'the rating processed in the second section',
      30_000,
    ).catch(async (err) => {
      // The receiver may still have judged it by the first section alone: catch-up polling then finds it.
      await family.live!.poller!.pollNow();
      throw err;
    });
    expect(done.status).toBe('done');
    const album = await waitUntil(
      () => family.database.db.selectFrom('write_journal').select('value_after').where('item_key', '=', track.album_key).executeTakeFirst(),
      'the album written in the second section',
    );
    expect(album.value_after).toBeGreaterThan(0);
    // Nothing of it in the main section's state.
    expect(await count(app.database, 'webhook_events')).toBe(mainEvents);
    expect(await count(app.database, 'write_journal')).toBe(mainJournal);
  });

  it('a rating in the main section stays in the main section', async () => {
    const family = app.otherSections[0];
    const plex = new PlexClient({ url: sim.url, token: sim.token });
    const track = await app.database.db.selectFrom('tracks').select(['rating_key']).limit(1).executeTakeFirstOrThrow();
    await plex.rate(track.rating_key, 4);
    await sim.webhooks.idle();
    await waitUntil(
      () =>
        app.database.db
          .selectFrom('webhook_events')
          .select('id')
          .where('item_key', '=', track.rating_key)
          .where('status', '=', 'done')
          .executeTakeFirst(),
      'the rating processed in the main section',
    );
    // Sagewire's own writes come back as webhooks too (echoes): each went to the inbox of its item's section.
    await sim.webhooks.idle();
    app.moveReceived();
    const familyKeys = new Set(sim.state.section(2)!.tracks.map((t) => t.ratingKey));
    for (const a of sim.state.section(2)!.albums) familyKeys.add(a.ratingKey);
    for (const a of sim.state.section(2)!.artists) familyKeys.add(a.ratingKey);
    const inFamily = await family.database.db.selectFrom('webhook_events').select('item_key').execute();
    expect(inFamily.length).toBeGreaterThan(0);
    for (const row of inFamily) expect(familyKeys.has(row.item_key!), `event for ${row.item_key} in the second section`).toBe(true);
    const inMain = await app.database.db.selectFrom('webhook_events').select('item_key').execute();
    for (const row of inMain) expect(familyKeys.has(row.item_key!), `event for ${row.item_key} in the main section`).toBe(false);
  });
});
