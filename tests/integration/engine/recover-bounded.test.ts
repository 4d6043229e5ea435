// recover --from-state-file against the simulator: keys the library cache does not know are skipped as
// unknown without a Plex read, and a file past the stated limits is refused before anything is asked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { DEFAULT_RATING_PARAMS } from '../../../src/domain/rating/index.js';
import { createEngineStore } from '../../../src/engine/core/engine-store.js';
import { runFullPass, type EngineDeps } from '../../../src/engine/pass/full-pass.js';
import { PlexRatingPort } from '../../../src/engine/core/plex-rating-port.js';
import { recoverState, STATE_FILE_LIMITS } from '../../../src/engine/tools/recover.js';
import { syncLibrary } from '../../../src/library/sync.js';
import { createLogger } from '../../../src/log.js';
import { PlexClient } from '../../../src/plex/client.js';
import { startSimulator, type RunningSimulator } from '../../../src/sim/index.js';

describe('recover from a state file, bounded by the library cache', () => {
  let sim: RunningSimulator;
  let dir: string;
  let handle: DatabaseHandle;
  let deps: EngineDeps;
  let inferred: Map<string, number>;

  beforeAll(async () => {
    sim = await startSimulator({ tracks: 300, seed: 23, echoWebhooks: false, log: () => {} });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-recover-'));
    handle = await openDatabase(join(dir, 'sagewire.db'));
    const client = new PlexClient({ url: sim.url, token: sim.token, retries: 0 });
    deps = {
      store: createEngineStore(handle.sqlite),
      port: new PlexRatingPort(client, String(sim.musicSectionId)),
      logger: createLogger('silent'),
      params: DEFAULT_RATING_PARAMS,
      inferredTag: 'Rating_Inferred',
      writer: { mode: 'rate', concurrency: 2, batchSize: 100, batchPauseMs: 0 },
    };
    await syncLibrary({ db: handle, plex: client, sectionTitle: 'Music' });
    await runFullPass(deps);
    inferred = new Map([...deps.store.state.loadAll()].filter(([, c]) => c.writtenValue !== null).map(([k, c]) => [k, c.writtenValue!]));
    await syncLibrary({ db: handle, plex: client, sectionTitle: 'Music' });
  });
  afterAll(async () => {
    await handle?.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    handle.sqlite.prepare('delete from rating_state').run(); // the state is lost; the file is what is left
    sim.stats.reset();
  });

  const stateFile = (ratings: Record<string, { r: number; t: number }>) => {
    const file = join(dir, 'plex_state.json');
    writeFileSync(file, JSON.stringify({ version: '1.4.0', library_uuid: null, ratings }));
    return file;
  };
  const metadataReads = () => sim.stats.requests['GET /library/metadata/:ids'] ?? 0;

  it('reads Plex only for keys the cache knows; 50,000 unknown keys cost no request and are counted', async () => {
    const ratings: Record<string, { r: number; t: number }> = {};
    const known = [...inferred.keys()].slice(0, 150);
    for (const key of known) ratings[key] = { r: inferred.get(key)!, t: 0 };
    const unknown = 50_000;
    for (let i = 0; i < unknown; i++) ratings[String(90_000_000 + i)] = { r: 6.5, t: 0 };
    const report = await recoverState(deps, { stateFile: stateFile(ratings) }, { dryRun: true });
    expect(report.skipped.unknown).toBe(unknown);
    expect(report.candidates).toBe(known.length + unknown);
    expect(report.claimed.map((c) => c.key).sort()).toEqual([...known].sort());
    // One multi-id read per batch of known keys, none for the unknown ones.
    expect(metadataReads()).toBe(Math.ceil(known.length / deps.writer.batchSize));
    expect(sim.stats.totalRequests).toBe(metadataReads());
  });

  it('refuses a file past the key limit or the byte limit before reading Plex or the state, and says the limit', async () => {
    const ratings: Record<string, { r: number; t: number }> = {};
    for (const key of [...inferred.keys()].slice(0, 20)) ratings[key] = { r: inferred.get(key)!, t: 0 };
    const file = stateFile(ratings);
    await expect(
      recoverState(deps, { stateFile: file }, { stateFileLimits: { bytes: STATE_FILE_LIMITS.bytes, keys: 19 } }),
    ).rejects.toThrow(/has 20 ratings; a plex_state.json may hold at most 19/);
    await expect(
      recoverState(deps, { stateFile: file }, { stateFileLimits: { bytes: 100, keys: STATE_FILE_LIMITS.keys } }),
    ).rejects.toThrow(/is \d+ bytes; a plex_state.json may be at most 100 bytes/);
    expect(sim.stats.totalRequests).toBe(0);
    expect(handle.sqlite.prepare('select count(*) from rating_state').pluck().get()).toBe(0);
    expect(handle.sqlite.prepare("select count(*) from engine_runs where kind = 'recover'").pluck().get()).toBe(0);
    // Within the limits, the same file is taken.
    const report = await recoverState(deps, { stateFile: file });
    expect(report.claimed).toHaveLength(20);
  });

  it('a malformed entry of a known key is refused, naming it; entries of unknown keys are skipped unread', async () => {
    const [key] = [...inferred.keys()];
    const bad = stateFile({ [key]: { r: 'high' } as never, '91000000': { r: 6.5, t: 0 } });
    await expect(recoverState(deps, { stateFile: bad })).rejects.toThrow(new RegExp(`not a plex_state.json: ratings\\.${key}\\.r`));
    expect(sim.stats.totalRequests).toBe(0);
    const report = await recoverState(
      deps,
      { stateFile: stateFile({ [key]: { r: inferred.get(key)!, t: 0 }, '91000000': { r: 'nonsense' } as never }) },
      { dryRun: true },
    );
    expect(report.skipped.unknown).toBe(1);
    expect(report.claimed.map((c) => c.key)).toEqual([key]);
  });

  it('states the default limits', () => {
    expect(STATE_FILE_LIMITS).toEqual({ bytes: 64 * 1024 * 1024, keys: 1_000_000 });
  });
});
