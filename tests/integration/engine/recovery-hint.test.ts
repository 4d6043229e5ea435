// A fresh Sagewire pointed at a library an earlier install rated: after its first sync the library cache holds
// ratings off the whole-point grid and the inferred tag while the journal is empty. The hint is up, `sync`
// logs a warning naming recover's sources and the Dashboard's notice posts to the recover action; after a
// recover it is gone. A library nobody but its person rated never raises it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { Eta } from 'eta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInfer } from '../../../src/cli/infer.js';
import { runRecover } from '../../../src/cli/recover.js';
import { runSync } from '../../../src/cli/sync.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/log.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';
import { fmt } from '../../../src/web/format.js';
import { spawnCli } from '../../support/spawn-cli.js';
import { waitUntil } from '../../support/wait.js';
import { dashboardRecoveryHint, recoveryHint, type RecoveryHint } from '../../../src/web/read-models/recovery-hint.js';

const TAG = 'Rating_Inferred';

function capturedLogger() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: createLogger('info', stream), warnings: () => text.split('\n').filter((line) => line.includes('"level":40')) };
}

async function hintOf(config: Config): Promise<RecoveryHint | null> {
  const handle = await openDatabase(config.dbPath);
  try {
    return recoveryHint(handle.sqlite, TAG);
  } finally {
    await handle.close();
  }
}

const views = new Eta({ views: fileURLToPath(new URL('../../../src/views/', import.meta.url)), autoEscape: true });
const renderNotice = (recovery: RecoveryHint | null) =>
  views.render('partials/dashboard-recover', { page: { recovery }, fmt, csrfToken: 'tok/en+1' });

describe('an already-rated library with no journal', () => {
  let sim: RunningSimulator;
  let dir: string;
  const configIn = (name: string, url = sim.url, token = sim.token) =>
    loadConfig({ DATA_DIR: join(dir, name), PLEX_URL: url, PLEX_TOKEN: token, LOG_LEVEL: 'silent', INFERRED_TAG: TAG });

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tracks: 300, seed: 29, echoWebhooks: false, log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-recovery-hint-'));
    // The earlier install: it rated the library, then its volume was lost.
    expect(await runInfer(['--json'], configIn('earlier'), createLogger('silent'))).toBe(0);
    expect(sim.stats.ratingWrites).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is detected after the first sync, warned about by sync, offered on the Dashboard, and gone after recover', async () => {
    const fresh = configIn('fresh');
    const first = capturedLogger();
    expect(await runSync([], fresh, first.logger)).toBe(0);
    const hint = await hintOf(fresh);
    expect(hint).not.toBeNull();
    expect(hint!.fractional).toBeGreaterThan(0);
    expect(hint!.tagged).toBeGreaterThan(0);
    expect(first.warnings()).toHaveLength(1);
    expect(first.warnings()[0]).toContain('an earlier Sagewire seems to have rated this library');
    expect(first.warnings()[0]).toContain('sagewire recover --from-tags --from-fractional');

    // The Dashboard's function reads the rating pages' connection and the tag in effect.
    const handle = await openDatabase(fresh.dbPath);
    try {
      const deps = {
        ratings: { access: { sqlite: handle.sqlite, deps: () => null } },
        settings: { get: async () => ({ value: TAG, source: 'env' as const }) },
      } as unknown as Parameters<typeof dashboardRecoveryHint>[0];
      expect(await dashboardRecoveryHint(deps)).toEqual(hint);
      expect(await dashboardRecoveryHint({ ...deps, ratings: null })).toBeNull();
    } finally {
      await handle.close();
    }
    const html = renderNotice(hint);
    expect(html).toContain('action="/ratings/recover?_csrf=tok%2Fen%2B1"');
    expect(html).toContain('enctype="multipart/form-data"');
    expect(html).toContain('name="from_tags" value="1"');
    expect(html).toContain('name="from_fractional" value="1"');
    expect(html).toContain(`<strong data-recover="fractional">${fmt.number(hint!.fractional)}</strong>`);
    expect(html).toContain(`<strong data-recover="tagged">${fmt.number(hint!.tagged)}</strong>`);
    expect(html).toContain(`<code>${TAG}</code>`);

    expect(await runRecover(['--from-tags', '--from-fractional', '--no-sync'], fresh, createLogger('silent'))).toBe(0);
    expect(await hintOf(fresh)).toBeNull();
    const again = capturedLogger();
    expect(await runSync([], fresh, again.logger)).toBe(0);
    expect(again.warnings()).toEqual([]);
    expect(renderNotice(null).trim()).toBe('');
  });

  it('serve warns once live propagation has synced the cache', async () => {
    const cli = spawnCli(['serve'], {
      DATA_DIR: join(dir, 'serve'),
      PORT: '0',
      HOST: '127.0.0.1',
      PLEX_URL: sim.url,
      PLEX_TOKEN: sim.token,
      INFERRED_TAG: TAG,
      WEBHOOKS: 'off',
      LOG_LEVEL: 'info',
    });
    try {
      const line = await waitUntil(
        () =>
          cli
            .stderr()
            .split('\n')
            .find((l) => l.includes('"msg":"serve: an earlier Sagewire seems to have rated this library')),
        'the serve warning',
      );
      const logged = JSON.parse(line) as { level: number; fractional: number; tagged: number };
      expect(logged.level).toBe(40);
      expect(logged.fractional).toBeGreaterThan(0);
      expect(logged.tagged).toBeGreaterThan(0);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('names only the source that was found, and reads "at least" at the cap', async () => {
    const fresh = configIn('untagged');
    expect(await runSync([], fresh, createLogger('silent'))).toBe(0);
    const handle = await openDatabase(fresh.dbPath);
    try {
      const untagged = recoveryHint(handle.sqlite, '')!;
      expect(untagged).toMatchObject({ tagged: 0, tag: '' });
      expect(untagged.fractional).toBeGreaterThan(2);
      const html = renderNotice(untagged);
      expect(html).toContain('name="from_fractional"');
      expect(html).not.toContain('name="from_tags"');
      const capped = recoveryHint(handle.sqlite, TAG, 2)!;
      expect(capped.tagged).toBe(2);
      expect(renderNotice(capped)).toContain('<strong data-recover="tagged">at least 2</strong>');
    } finally {
      await handle.close();
    }
  });

  it('stays down for a library only its person rated', async () => {
    const other = await startSimulator({ port: 0, tracks: 300, seed: 31, echoWebhooks: false, log: () => {} });
    try {
      const fresh = configIn('ordinary', other.url, other.token);
      const log = capturedLogger();
      expect(await runSync([], fresh, log.logger)).toBe(0);
      const handle = await openDatabase(fresh.dbPath);
      try {
        const rated = handle.sqlite.prepare('select count(*) from tracks where user_rating is not null').pluck().get() as number;
        expect(rated, 'the person rated some tracks').toBeGreaterThan(0);
      } finally {
        await handle.close();
      }
      expect(await hintOf(fresh)).toBeNull();
      expect(log.warnings()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
