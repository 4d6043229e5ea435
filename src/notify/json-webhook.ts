// The outgoing JSON webhook: one POST per message to the URL the person saved (which may carry a token in
// its path or query, so the whole URL is treated as a secret).
import type { Message } from './messages.js';
import type { HttpRequest } from './http.js';

export interface WebhookPayload {
  source: 'sagewire';
  kind: Message['kind'];
  title: string;
  text: string;
  count: number;
  urgent: boolean;
  /** ISO 8601. */
  at: string;
  items: readonly object[];
}

export function webhookPayload(message: Message): WebhookPayload {
  return {
    source: 'sagewire',
    kind: message.kind,
    title: message.title,
    text: message.lines.join('\n'),
    count: message.count,
    urgent: message.urgent,
    at: new Date(message.at).toISOString(),
    items: message.items,
  };
}

export function webhookRequest(url: string, message: Message): HttpRequest {
  return {
    url,
    headers: { 'content-type': 'application/json', 'user-agent': 'Sagewire' },
    body: JSON.stringify(webhookPayload(message)),
  };
}
