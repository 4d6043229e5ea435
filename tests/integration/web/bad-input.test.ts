// Bad input to the admin forms over HTTP: each form answers with its clear error (the field named, the
// page's own status) and changes nothing — the settings rows stay as they were and no run starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from '../live/support/live-harness.js';
import type { Client } from './harness.js';
import { multipart, postMultipart, signedIn } from './rating-support.js';

describe('bad input to the admin forms', () => {
  let h: LiveHarness;
  let client: Client;
  let csrf: string;

  const settingsRows = () => h.app.database.sqlite.prepare('select key, value from settings order by key').all();
  const runCount = () => (h.app.database.sqlite.prepare('select count(*) as n from engine_runs').get() as { n: number }).n;

  beforeAll(async () => {
    h = await startLive({ tracks: 80, seed: 9 });
    ({ client, csrf } = await signedIn(h));
  });
  afterAll(async () => {
    await h?.close();
  });

  // The harness fixes PLEX_URL, PLEX_TOKEN and RECONCILE_MINUTES in the environment: those fields are not read.
  it('shows the behaviour form again with the field’s problem and saves nothing', async () => {
    const before = settingsRows();
    const res = await client.post('/settings/behaviour', {
      _csrf: csrf,
      inferred_tag_enabled: ['false', 'true'],
      inferred_tag: 'Mood,Tag',
      webhooks: 'off',
      reconcile_minutes: '0',
      dry_run: 'false',
    });
    expect(res.status).toBe(422);
    expect(res.text).toMatch(/id="inferred_tag-error"[^>]*>[^<]*must not contain commas or control characters/);
    expect(res.text).toContain('value="Mood,Tag"'); // the typed value is shown again
    expect(res.text).not.toContain('id="reconcile_minutes-error"');
    expect(settingsRows()).toEqual(before);
  });

  it('refuses the setup form field by field and saves nothing', async () => {
    const before = settingsRows();
    const res = await client.post('/setup', {
      _csrf: csrf,
      plex_url: 'ftp://plex',
      plex_token: 'has space',
      plex_library: ' ',
      inferred_tag: 'x'.repeat(65),
    });
    expect(res.status).toBe(422);
    for (const id of ['plex_library', 'inferred_tag']) expect(res.text).toContain(`id="${id}-error"`);
    for (const id of ['plex_url', 'plex_token']) expect(res.text).not.toContain(`id="${id}-error"`);
    expect(res.text).not.toContain('has space'); // a typed token is never rendered
    expect(settingsRows()).toEqual(before);
  });

  it('starts no run for an undo-all without the words, a recover without a source, or an undo of no run', async () => {
    const runs = runCount();
    const undoAll = await client.post('/ratings/undo-all', { _csrf: csrf, confirm: 'undo everything' });
    expect(undoAll.status).toBe(422);
    expect(undoAll.text).toContain('Type UNDO ALL to confirm undoing everything Sagewire wrote.');
    const recover = await postMultipart(client, `/ratings/recover?_csrf=${encodeURIComponent(csrf)}`, multipart({ dry_run: '1' }));
    expect(recover.status).toBe(422);
    expect(recover.text).toContain('Choose at least one source');
    expect((await client.post('/ratings/runs/not-a-run/undo', { _csrf: csrf })).status).toBe(404);
    expect((await client.post('/ratings/opted-out/enable', { _csrf: csrf })).status).toBe(422);
    expect((await client.get('/ratings/job')).text).not.toContain('data-job-state="running"');
    expect(runCount()).toBe(runs);
  });

  it('names the query parameter it cannot use', async () => {
    const res = await client.get('/ratings/export.csv?type=songs');
    expect(res.status).toBe(400);
    expect(res.text).toContain('type must be tracks, albums or artists');
  });
});
