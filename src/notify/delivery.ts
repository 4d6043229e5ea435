// Sending one message through one channel: a timeout on each attempt, one retry after a pause, and the
// outcome as a result the Settings page shows (last delivery per channel). Failure texts are built here
// from codes and statuses and then scrubbed of every saved secret, so neither a log line nor the page can
// carry one.
import type { Kysely } from 'kysely';
import { putSetting } from '../db/settings-repo.js';
import type { Database } from '../db/schema.js';
import { sendEmail } from './email.js';
import { DeliveryError, postRequest } from './http.js';
import { webhookRequest } from './json-webhook.js';
import type { Message } from './messages.js';
import { ntfyRequest } from './ntfy.js';
import { CHANNEL_LABELS, lastResultKey, redact, type ChannelName, type NotifySettings } from './settings.js';

export interface DeliveryOptions {
  /** Each attempt's limit (default 10 s). */
  timeoutMs?: number;
  /** The pause before the one retry (default 2 s). */
  retryAfterMs?: number;
}

export interface DeliveryResult {
  channel: ChannelName;
  ok: boolean;
  /** Epoch milliseconds of the last attempt. */
  at: number;
  attempts: number;
  /** What was sent (the message's kind) and, on failure, why it did not arrive. */
  kind: Message['kind'];
  problem: string | null;
}

type Send = (message: Message, timeoutMs: number) => Promise<void>;

/** The senders of every configured channel. */
export function sendersOf(settings: NotifySettings): Map<ChannelName, Send> {
  const senders = new Map<ChannelName, Send>();
  const { webhook, ntfy, email } = settings;
  if (webhook) senders.set('webhook', (m, t) => postRequest(webhookRequest(webhook.url, m), t));
  if (ntfy) senders.set('ntfy', (m, t) => postRequest(ntfyRequest(ntfy.url, ntfy.token, m), t));
  if (email) senders.set('email', (m, t) => sendEmail(email, m, t));
  return senders;
}

export async function deliver(
  channel: ChannelName,
  send: Send,
  message: Message,
  secrets: readonly string[],
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let problem = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    if (attempt === 2) await new Promise((resolve) => setTimeout(resolve, options.retryAfterMs ?? 2_000));
    try {
      await send(message, timeoutMs);
      return { channel, ok: true, at: Date.now(), attempts: attempt, kind: message.kind, problem: null };
    } catch (err) {
      // Only our own sentences are kept: an unexpected error's text could hold anything.
      problem = err instanceof DeliveryError ? err.message : `${CHANNEL_LABELS[channel]} failed unexpectedly`;
    }
  }
  return { channel, ok: false, at: Date.now(), attempts: 2, kind: message.kind, problem: redact(problem, secrets) };
}

export async function recordResult(db: Kysely<Database>, result: DeliveryResult): Promise<void> {
  await putSetting(db, lastResultKey(result.channel), JSON.stringify(result));
}

export function lastResultOf(rows: Readonly<Record<string, string>>, channel: ChannelName): DeliveryResult | null {
  const raw = rows[lastResultKey(channel)];
  if (!raw) return null;
  try {
    return JSON.parse(raw) as DeliveryResult;
  } catch {
    return null;
  }
}
