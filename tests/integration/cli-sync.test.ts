// `sagewire sync` as a person runs it: JSON summary, incremental second run, and the clear errors
// for a wrong token and an unreachable server.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { spawnCli } from '../support/spawn-cli.js';

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sagewire sync', () => {
  let sim: RunningSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tracks: 1500, seed: 3 });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-cli-sync-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({ DATA_DIR: dir, PLEX_URL: sim.url, PLEX_TOKEN: sim.token, LOG_LEVEL: 'silent' });

  it('fills the cache on the first run and syncs incrementally after a change', async () => {
    const first = spawnCli(['sync', '--json'], env());
    expect((await first.exited).code).toBe(0);
    const result = JSON.parse(first.stdout()) as Record<string, number | string>;
    expect(result).toMatchObject({
      mode: 'full',
      tracks: 1500,
      artists: sim.state.lists.artist.length,
      albums: sim.state.lists.album.length,
    });
    expect(typeof result.seconds).toBe('number');

    const track = sim.state.lists.track[10]!.item;
    const rating = sim.state.getRating(track.ratingKey) === 9 ? 7 : 9;
    const rated = await fetch(`${sim.url}/__sim/user-rate?key=${track.ratingKey}&rating=${rating}&notify=0&X-Plex-Token=${sim.token}`, {
      method: 'POST',
    });
    expect(rated.status).toBe(200);
    expect(sim.state.getRating(track.ratingKey)).toBe(rating);
    const second = spawnCli(['sync'], env());
    expect((await second.exited).code).toBe(0);
    expect(second.stdout()).toMatch(/^sync \(incremental\): .*1,500 tracks in the cache; 0 added, 1 updated, 0 deleted/);
  });

  it('says Plex rejected the token, without printing it', async () => {
    const cli = spawnCli(['sync'], { ...env(), PLEX_TOKEN: 'definitely-wrong-token' });
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toMatch(/Plex rejected PLEX_TOKEN at http:\/\/127\.0\.0\.1:\d+/);
    expect(cli.stderr()).not.toContain('definitely-wrong-token');
    expect(cli.stderr()).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
  });

  it('says it cannot reach a server that is not there', async () => {
    const port = await closedPort();
    const cli = spawnCli(['sync'], { ...env(), PLEX_URL: `http://127.0.0.1:${port}`, PLEX_TIMEOUT_MS: '2000' });
    expect((await cli.exited).code).toBe(1);
    expect(cli.stderr()).toContain(`cannot reach Plex at http://127.0.0.1:${port}`);
    expect(cli.stderr()).toMatch(/refused/);
  });

  it('names the missing settings when Plex is not configured', async () => {
    const cli = spawnCli(['sync'], { DATA_DIR: dir, PLEX_URL: '', PLEX_TOKEN: '' });
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toMatch(/PLEX_URL and PLEX_TOKEN must be set/);
  });
});
