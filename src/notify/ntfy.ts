// ntfy: the message is published as JSON to the server's root with the topic in the body (JSON carries
// titles in any script, where headers cannot), with the access token, when one is saved, as a Bearer token.
// The saved URL is the topic's URL, as ntfy's apps show it: https://ntfy.sh/my-topic.
import type { Message } from './messages.js';
import type { HttpRequest } from './http.js';

/** ntfy's own rule for topic names. */
export const NTFY_TOPIC = /^[-_A-Za-z0-9]{1,64}$/;

/** The server's root URL and the topic of a topic URL; null when the URL's last path segment is no topic. */
export function splitTopicUrl(topicUrl: string): { server: string; topic: string } | null {
  let url: URL;
  try {
    url = new URL(topicUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  const topic = segments.pop() ?? '';
  if (!NTFY_TOPIC.test(topic)) return null;
  return { server: `${url.origin}${segments.join('/')}/`, topic };
}

const TAGS: Record<Message['kind'], string[]> = {
  dead: ['warning'],
  runs: ['warning'],
  takeovers: ['star'],
  schedules: ['musical_note'],
  test: ['white_check_mark'],
};

export function ntfyRequest(topicUrl: string, token: string | null, message: Message): HttpRequest {
  const target = splitTopicUrl(topicUrl);
  if (!target) throw new Error('the ntfy URL does not end in a topic');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Sagewire' };
  if (token) headers.authorization = `Bearer ${token}`;
  return {
    url: target.server,
    headers,
    body: JSON.stringify({
      topic: target.topic,
      title: message.title,
      message: message.lines.join('\n'),
      tags: TAGS[message.kind],
      priority: message.urgent ? 4 : 3,
    }),
  };
}
