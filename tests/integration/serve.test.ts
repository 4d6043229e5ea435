import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';

describe('sagewire serve', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sagewire-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts, answers /api/health, and stops cleanly on SIGTERM', async () => {
    const cli = spawnCli(['serve'], { DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', PLEX_URL: '', PLEX_TOKEN: '' });
    const listening = await cli.waitForLog('serve: listening');
    const res = await fetch(`${String(listening.url)}/api/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; plex: { configured: boolean } };
    expect(body.status).toBe('ok');
    expect(body.plex.configured).toBe(false);
    cli.child.kill('SIGTERM');
    const { code } = await cli.exited;
    expect(code).toBe(0);
    expect(cli.stderr()).toContain('serve: stopped');
  });

  it('refuses a bad configuration with every problem listed and exit code 2', async () => {
    const cli = spawnCli(['serve'], { DATA_DIR: dir, PORT: 'not-a-port', PLEX_URL: 'ftp://x', LOG_LEVEL: 'loud' });
    const { code } = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toMatch(/3 problems/);
    expect(cli.stderr()).toMatch(/PORT/);
    expect(cli.stderr()).toMatch(/PLEX_URL/);
    expect(cli.stderr()).toMatch(/LOG_LEVEL/);
  });

  it('prints usage for an unknown command', async () => {
    const cli = spawnCli(['frobnicate'], {});
    const { code } = await cli.exited;
    expect(code).toBe(2);
    expect(cli.stderr()).toContain('unknown command "frobnicate"');
  });
});
