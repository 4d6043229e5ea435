// What the inbox keeps of a webhook's payload (webhook_events.payload). Plex sends about 1.4 KB per event
// (thumb paths, guids, genres, moods, the player's address…), and nothing in Sagewire reads more than a
// few fields of it: the fields classification reads (event, user, owner, rating, Account.id, Server.uuid,
// Metadata's type, keys and library section) and what a person needs to recognise the event (the item's
// titles, who rated it and from which player, when Plex says it was rated). Only those are stored, in
// Plex's own shape, so the stored form reads (and classifies) like a small payload; every string is
// capped, so an odd or oversized payload is stored small as well.
//
// The column holds a BLOB: one format byte, then the compact JSON, deflated (raw) against a preset
// dictionary of the field names and values every payload repeats, or as is when that is not smaller.
// The dictionary of a format byte never changes (rows written with it must stay readable); a new
// dictionary takes a new format byte. Rows written before this form hold the payload as text; an empty
// string means the payload was dropped (ignored events, echoes, retention).
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** A stored payload as the column returns it: a Buffer (compact form), a string (legacy text, or '' once dropped). */
export type StoredPayloadValue = Buffer | Uint8Array | string;

/** The compact payload: a Plex payload with only the fields Sagewire reads or shows. */
export type CompactPayload = Record<string, unknown>;

/** Longest string kept (in UTF-16 units); longer ones are cut and end with '…'. */
export const MAX_STORED_TEXT = 256;

const FORMAT_JSON = 0x00;
const FORMAT_DEFLATE_V1 = 0x01;

type Scalar = 'string' | 'number' | 'boolean' | 'key' | 'rating';
interface Shape {
  [field: string]: Scalar | Shape;
}

/**
 * The fields kept, in the order they are written. `key`: a ratingKey (string or number, kept as sent);
 * `rating`: a number, string or null, kept as sent. Anything of another type is left out.
 */
const SHAPE: Shape = {
  event: 'string',
  // The catch-up poll records events of its own shape: { source, event, ratingKey, rating }.
  source: 'string',
  ratingKey: 'key',
  user: 'boolean',
  owner: 'boolean',
  rating: 'rating',
  Account: { id: 'key', title: 'string' },
  Server: { uuid: 'string', title: 'string' },
  Player: { title: 'string', local: 'boolean' },
  Metadata: {
    librarySectionType: 'string',
    librarySectionID: 'key',
    type: 'string',
    ratingKey: 'key',
    parentRatingKey: 'key',
    grandparentRatingKey: 'key',
    title: 'string',
    parentTitle: 'string',
    grandparentTitle: 'string',
    originalTitle: 'string',
    userRating: 'rating',
    lastRatedAt: 'number',
  },
};

/**
 * What most compact payloads contain, for deflate to refer back to: the shape of an owner's media.rate
 * of a track, the most common strings last (nearer back-references cost fewer bits). Frozen with format 1.
 */
const DICTIONARY_V1 = Buffer.from(
  '"source":"catch-up","event":"poll.rate","library.new"' +
    '"originalTitle":"' +
    '{"event":"media.rate","user":false,"owner":false,"rating":"' +
    '"Player":{"title":"Plex Web","local":false},' +
    '"Player":{"title":"Plexamp","local":true},' +
    '"Metadata":{"librarySectionType":"artist","librarySectionID":1,"type":"album","ratingKey":"1","parentRatingKey":"1","title":"' +
    '","parentTitle":"' +
    '"userRating":10,"lastRatedAt":17' +
    '{"event":"media.rate","user":true,"owner":true,"rating":10,"Account":{"id":1,"title":"' +
    '"},"Server":{"uuid":"' +
    '","title":"' +
    '"},"Metadata":{"librarySectionType":"artist","librarySectionID":1,"type":"track","ratingKey":"1",' +
    '"parentRatingKey":"1","grandparentRatingKey":"1","title":"' +
    '","parentTitle":"' +
    '","grandparentTitle":"' +
    '"}}',
  'utf8',
);

function cut(text: string): string {
  if (text.length <= MAX_STORED_TEXT) return text;
  let end = MAX_STORED_TEXT - 1;
  // Never split a surrogate pair: half a character would not survive a round trip through UTF-8.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

function pick(source: unknown, shape: Shape): Record<string, unknown> | undefined {
  if (!source || typeof source !== 'object' || Array.isArray(source)) return undefined;
  const from = source as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(shape)) {
    if (!Object.hasOwn(from, field)) continue;
    const value = from[field];
    if (typeof kind === 'object') {
      const inner = pick(value, kind);
      if (inner && Object.keys(inner).length > 0) out[field] = inner;
      continue;
    }
    const kept = keep(value, kind);
    if (kept !== undefined) out[field] = kept;
  }
  return out;
}

function keep(value: unknown, kind: Scalar): unknown {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? cut(value) : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'key':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
      return typeof value === 'string' ? cut(value) : undefined;
    case 'rating':
      if (value === null) return null;
      return keep(value, 'key');
  }
}

/**
 * The compact payload of a payload's text: the kept fields of a JSON object. Text that is not a JSON
 * object (never from the receiver, which refuses it) is kept as `{ unparsed: <its first characters> }`.
 */
export function compactPayload(payloadText: string): CompactPayload {
  let json: unknown;
  try {
    json = JSON.parse(payloadText);
  } catch {
    return { unparsed: cut(payloadText) };
  }
  return pick(json, SHAPE) ?? { unparsed: cut(payloadText) };
}

/** The column value for a payload's text: its compact form, deflated when that is smaller. */
export function storePayload(payloadText: string): Buffer {
  if (typeof payloadText !== 'string') throw new TypeError('a webhook payload is text');
  const json = Buffer.from(JSON.stringify(compactPayload(payloadText)), 'utf8');
  // A 4 KiB window holds the dictionary and a whole usual payload, and a small state keeps each call
  // cheap on the receiver's thread (about 25 µs of CPU per event, parsing included).
  const deflated = deflateRawSync(json, { dictionary: DICTIONARY_V1, level: 9, windowBits: 12, memLevel: 4 });
  return deflated.length < json.length
    ? Buffer.concat([Buffer.of(FORMAT_DEFLATE_V1), deflated])
    : Buffer.concat([Buffer.of(FORMAT_JSON), json]);
}

/**
 * The payload a row holds, in its compact form; null when it was dropped. A row written before the
 * compact form (the payload's full text) is read as its compact form too, so every reader sees one shape.
 * A value that cannot be read (a damaged row) is `{ unreadable: <why> }`, never an exception.
 */
export function readStoredPayload(value: StoredPayloadValue | null | undefined): CompactPayload | null {
  if (value === null || value === undefined || value.length === 0) return null;
  if (typeof value === 'string') return compactPayload(value);
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  try {
    const body = bytes.subarray(1);
    switch (bytes[0]) {
      case FORMAT_JSON:
        return JSON.parse(body.toString('utf8')) as CompactPayload;
      case FORMAT_DEFLATE_V1:
        return JSON.parse(inflateRawSync(body, { dictionary: DICTIONARY_V1 }).toString('utf8')) as CompactPayload;
      default:
        return { unreadable: `unknown stored payload format ${bytes[0]}` };
    }
  } catch (err) {
    return { unreadable: err instanceof Error ? err.message : String(err) };
  }
}
