// The files a Docker newcomer copies or builds with: .env.example changes nothing until a line is
// uncommented and names every variable config reads; .dockerignore keeps local state and secrets out of the
// build context without hiding what the Dockerfile copies; the health check script probes where the server
// listens (HOST, PORT).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

const envExample = read('.env.example').split('\n');
const COMMENTED_ASSIGNMENT = /^#\s*([A-Z][A-Z0-9_]*)=(.*)$/;

/** NAME → value of each `# NAME=value` line, as it would be read once uncommented. */
const examples = new Map(
  envExample.flatMap((line) => {
    const m = COMMENTED_ASSIGNMENT.exec(line.trim());
    return m ? [[m[1]!, m[2]!] as const] : [];
  }),
);

/** The names loadConfig looks up in the environment, recorded by handing it an environment that logs reads. */
function namesConfigReads(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, name) {
      if (typeof name === 'string') read.add(name);
      return Reflect.get(target, name);
    },
  });
  loadConfig(env);
  return read;
}

describe('.env.example', () => {
  it('has no active line: copied to .env it sets nothing', () => {
    // docker compose's env_file (and node --env-file) read every non-blank line not starting with # as NAME=value.
    const active = envExample.filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
    expect(active).toEqual([]);
  });

  it('names every variable config reads, and none it does not', () => {
    const readByConfig = namesConfigReads();
    // Guards against a recorder that sees nothing (which would make the comparison pass on any file).
    expect(readByConfig.size).toBeGreaterThan(30);
    expect(readByConfig).toContain('PLEX_URL');
    expect([...readByConfig].filter((name) => !examples.has(name)).sort()).toEqual([]);
    // RATING_<NAME> model parameters are read by prefix, so any of them is a real variable.
    const stale = [...examples.keys()].filter((name) => !readByConfig.has(name) && !name.startsWith('RATING_'));
    expect(stale).toEqual([]);
  });

  it('explains each variable on the line above it', () => {
    const unexplained = envExample.flatMap((line, i) => {
      if (!COMMENTED_ASSIGNMENT.test(line.trim())) return [];
      const above = (envExample[i - 1] ?? '').trim();
      const explained = above.startsWith('#') && above.length > 2 && !COMMENTED_ASSIGNMENT.test(above);
      return explained ? [] : [line];
    });
    expect(examples.size).toBeGreaterThan(30);
    expect(unexplained).toEqual([]);
  });

  it('shows values config accepts once uncommented', () => {
    // DATA_DIR is resolved, never touched: loadConfig does no I/O.
    const config = loadConfig(Object.fromEntries(examples));
    expect(config.plex.url).toBe(examples.get('PLEX_URL'));
    expect(config.port).toBe(Number(examples.get('PORT')));
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  // A small matcher for the syntax the file uses: names and `*` within one path segment. Anything richer
  // (negation, `**`, paths) fails here rather than being matched wrongly.
  const unsupported = patterns.filter((p) => p.startsWith('!') || p.includes('**') || p.includes('/') || p.includes('?'));
  const matchers = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`));
  /** Ignored when the path or one of its parent folders matches a pattern (top-level patterns only). */
  const ignored = (path: string) => matchers.some((m) => m.test(path.split('/')[0]!));

  /** Sources of the Dockerfile's COPY steps that come from the build context (not from another stage). */
  const copied = read('Dockerfile')
    .split('\n')
    .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
    .flatMap((line) => line.trim().split(/\s+/).slice(1, -1))
    .map((source) => source.replace(/^\.\//, ''));

  it('uses only the syntax this test understands', () => {
    expect(unsupported).toEqual([]);
  });

  it('keeps everything the Dockerfile copies', () => {
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'src', 'migrations', 'scripts/healthcheck.mjs']));
    expect(copied.filter(ignored)).toEqual([]);
  });

  it.each(['.env', '.env.local', 'data', 'node_modules', '.git', 'dist', 'test-artifacts', 'tests', 'bench'])(
    'leaves %s out of the build context',
    (path) => {
      expect(ignored(path)).toBe(true);
    },
  );
});

describe('scripts/healthcheck.mjs', () => {
  let server: Server;
  let port: number;
  let answer = { status: 200, body: '{"status":"ok"}' };

  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/api/health' ? answer.status : 404, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function probe(env: Record<string, string>): Promise<number | null> {
    const { HOST: _h, PORT: _p, ...rest } = process.env;
    const child = spawn(process.execPath, [`${root}scripts/healthcheck.mjs`], { env: { ...rest, ...env }, stdio: 'ignore' });
    return new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => resolve(code));
    });
  }

  it.each([
    ['a wildcard IPv4 HOST (probed on loopback)', { HOST: '0.0.0.0' }, 0],
    ['a wildcard IPv6 HOST (probed on loopback)', { HOST: '::' }, 0],
    ['an empty HOST (the default, a wildcard)', { HOST: '' }, 0],
    ['the specific address it listens on', { HOST: '127.0.0.1' }, 0],
    // 127.0.0.2 is loopback too, but nothing listens there: a probe that ignored HOST would still pass.
    ['another specific address', { HOST: '127.0.0.2' }, 1],
  ])('with %s exits %i', async (_what, env, expected) => {
    expect(await probe({ ...env, PORT: String(port) })).toBe(expected);
  });

  it('follows PORT: another port is unhealthy', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const free = (other.address() as AddressInfo).port;
    await new Promise((resolve) => other.close(resolve));
    expect(await probe({ HOST: '127.0.0.1', PORT: String(free) })).toBe(1);
  });

  it.each([
    ['an error status', { status: 503, body: '{"status":"ok"}' }],
    ['a body that is not ok', { status: 200, body: '{"status":"starting"}' }],
  ])('reports %s as unhealthy', async (_what, given) => {
    answer = given;
    try {
      expect(await probe({ HOST: '0.0.0.0', PORT: String(port) })).toBe(1);
    } finally {
      answer = { status: 200, body: '{"status":"ok"}' };
    }
  });
});
