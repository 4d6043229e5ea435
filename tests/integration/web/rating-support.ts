// Shared by the rating pages' tests: a signed-in client of a live harness (real serve + simulator), a
// wait for the background job, and the person's ratings as the simulator holds them — so every test that
// writes can check that no manual rating was overwritten.
import { waitUntil } from '../../support/wait.js';
import { expect } from 'vitest';
import type { LiveHarness } from '../live/support/live-harness.js';
import { Client } from './harness.js';

export const LIVE_PASSWORD = 'live-test-password';

export async function signedIn(h: LiveHarness): Promise<{ client: Client; csrf: string }> {
  const client = new Client(h.url);
  const csrf = await client.signIn(LIVE_PASSWORD);
  return { client, csrf };
}

/** Polls the job panel until the job is no longer running; returns its final state. */
export async function jobFinished(client: Client, timeoutMs = 30_000): Promise<string> {
  return waitUntil(
    async () => {
      const state = /data-job-state="(\w+)"/.exec((await client.get('/ratings/job')).text)?.[1];
      return state && state !== 'running' ? state : null;
    },
    'the job to finish',
    timeoutMs,
  );
}

/** Every rating the person gave is still what Plex holds. */
export function expectManualRatingsKept(h: LiveHarness): void {
  const changed: string[] = [];
  for (const [key, rating] of h.person) {
    const now = h.sim.state.getRating(key);
    if (now === undefined || Math.abs(now - rating) > 1e-9) changed.push(`${key}: ${rating} → ${now}`);
  }
  expect(changed).toEqual([]);
}

export function multipart(fields: Record<string, string>, file?: { field: string; name: string; text: string; type?: string }): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set(file.field, new Blob([file.text], { type: file.type ?? 'text/plain' }), file.name);
  return form;
}

/** Posts a multipart form with the client's cookies (the Client helper sends url-encoded forms only). */
export async function postMultipart(
  client: Client,
  path: string,
  form: FormData,
): Promise<{ status: number; text: string; headers: Headers }> {
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const res = await fetch(client.base + path, { method: 'POST', body: form, headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
