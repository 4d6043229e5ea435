// Test harness for the admin UI: a real database in a temporary folder, the admin routers wired as
// app.ts wires them, a real HTTP server on port 0, and a tiny cookie-keeping client.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../../src/db/connection.js';
import { createLogger } from '../../../src/log.js';
import { buildAdminUi, type AdminOptions } from '../../../src/app/web.js';
import { createWebApp } from '../../../src/web/app.js';
import { healthRoutes } from '../../../src/web/health.js';
import { webhookRoutes } from '../../../src/webhooks/route.js';

export const PASSWORD = 'correct horse battery';
export const WEBHOOK_SECRET = 'webhook-secret-abcdefghijklmnop';

export interface WebHarness {
  url: string;
  config: Config;
  database: DatabaseHandle;
  logLines: () => string[];
  close(): Promise<void>;
}

export async function startWeb(
  env: Record<string, string> = {},
  options: Partial<Pick<AdminOptions, 'loginLimits' | 'checkPlex' | 'statusSources'>> & { dataDir?: string } = {},
): Promise<WebHarness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'sagewire-web-'));
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_PASSWORD: PASSWORD, ...env });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger('info', sink);
  const database = await openDatabase(config.dbPath);
  const admin = await buildAdminUi({ db: database.db, config, logger, version: 'test', webhookSecret: () => WEBHOOK_SECRET, ...options });
  const app = createWebApp({
    logger,
    trustProxy: config.trustProxy,
    routers: [
      healthRoutes('test', async () => ({ configured: false, reachable: null })),
      webhookRoutes({
        sqlite: database.sqlite,
        logger,
        secret: () => WEBHOOK_SECRET,
        context: () => ({ machineIdentifier: null, musicSectionId: null, allowedAccounts: new Set<number>() }),
      }),
      ...admin.routers,
    ],
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    database,
    logLines: () => lines,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await database.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  setCookies: string[];
}

/** A client that keeps cookies like a browser (by name, no domain logic) and never follows redirects. */
export class Client {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly defaultHeaders: Record<string, string> = {},
  ) {}

  async request(
    method: string,
    path: string,
    init: { form?: Record<string, string | string[]>; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { accept: 'text/html', ...this.defaultHeaders, ...init.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: string | undefined = init.body;
    if (init.form) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(init.form)) for (const one of [v].flat()) params.append(k, one);
      body = params.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const line of setCookies) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return { status: res.status, headers: res.headers, text: await res.text(), setCookies };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  post(path: string, form: Record<string, string | string[]>, headers?: Record<string, string>) {
    return this.request('POST', path, { form, headers });
  }

  /** The CSRF token of the page's meta tag, or of the login form's hidden field. */
  static csrfOf(html: string): string {
    const meta = /<meta name="csrf-token" content="([^"]+)"/.exec(html) ?? /name="_csrf" value="([^"]+)"/.exec(html);
    if (!meta) throw new Error('no CSRF token in page');
    return meta[1];
  }

  async login(password = PASSWORD): Promise<Reply> {
    const page = await this.get('/login');
    return this.post('/login', { _csrf: Client.csrfOf(page.text), password, next: '/' });
  }

  /** Signs in and returns the session's CSRF token. */
  async signIn(password = PASSWORD): Promise<string> {
    const res = await this.login(password);
    if (res.status !== 302) throw new Error(`sign-in failed: ${res.status}`);
    return Client.csrfOf((await this.get('/settings')).text);
  }
}

/** Problems a Content-Security-Policy without 'unsafe-inline' would block, found by scanning the HTML. */
export function inlineCodeIn(html: string): string[] {
  const problems: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc=/.test(m[1]) || m[2].trim() !== '') problems.push(`inline script: ${m[0].slice(0, 80)}`);
  }
  if (/<style\b/i.test(html)) problems.push('a <style> element');
  for (const m of html.matchAll(/<[^>]+\sstyle\s*=/gi)) problems.push(`style attribute: ${m[0].slice(0, 80)}`);
  for (const m of html.matchAll(/<[^>]+\son[a-z]+\s*=/gi)) problems.push(`event handler attribute: ${m[0].slice(0, 80)}`);
  if (/href\s*=\s*["']?\s*javascript:/i.test(html)) problems.push('javascript: URL');
  return problems;
}
