// The command-line tools with several music sections: `--section NAME` works on that section's own state
// database, no option means the main one, and a section not chosen is refused with the ones that are.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionFileName } from '../../src/app/sections.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { spawnCli } from '../support/spawn-cli.js';

describe('sagewire sync --section', () => {
  let sim: RunningSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      tracks: 150,
      seed: 9,
      extraMusicSections: [{ title: 'Family Music', tracks: 60 }],
      log: () => {},
    });
    dir = mkdtempSync(join(tmpdir(), 'sagewire-cli-sections-'));
  });
  afterAll(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () => ({
    DATA_DIR: dir,
    PLEX_URL: sim.url,
    PLEX_TOKEN: sim.token,
    PLEX_MUSIC_LIBRARY: 'Music, Family Music',
    LOG_LEVEL: 'silent',
  });

  it('syncs the named section into its own database, and the main one without the option', async () => {
    const family = spawnCli(['sync', '--section', 'family music', '--json'], env());
    expect((await family.exited).code, family.stderr()).toBe(0);
    expect(JSON.parse(family.stdout())).toMatchObject({ mode: 'full', tracks: 60 });
    expect(existsSync(join(dir, sectionFileName(join(dir, 'sagewire.db'), 'Family Music')))).toBe(true);

    const main = spawnCli(['sync', '--json'], env());
    expect((await main.exited).code, main.stderr()).toBe(0);
    expect(JSON.parse(main.stdout())).toMatchObject({ mode: 'full', tracks: 150 });
  });

  it('refuses a section that is not chosen, naming the ones that are', async () => {
    const cli = spawnCli(['sync', '--section=Audiobooks'], env());
    expect((await cli.exited).code).toBe(2);
    expect(cli.stderr()).toContain('--section: "Audiobooks" is not one of the music sections chosen (Music, Family Music)');
  });
});
