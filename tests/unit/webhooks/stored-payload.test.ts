// What the inbox keeps of a payload: the compact form classifies exactly as the payload Plex sent, keeps
// the titles, who and from where, drops the rest (thumbs, guids, genres, the player's address), and an odd
// or oversized payload is still stored, small, without an error.
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classify, parsePayload, type ClassifyContext } from '../../../src/webhooks/payload.js';
import { MAX_STORED_TEXT, readStoredPayload, storePayload } from '../../../src/webhooks/stored-payload.js';

const SAMPLES = new URL('../../fixtures/plex-samples/', import.meta.url);
const captured = JSON.parse(readFileSync(new URL('webhook-media.play-track-with-mood-captured-2021.json', SAMPLES), 'utf8')) as Record<
  string,
  any
>;
const official = JSON.parse(readFileSync(new URL('webhook-media.play-track-official-example.json', SAMPLES), 'utf8')) as Record<
  string,
  any
>;

const SERVER = 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
const contexts: ClassifyContext[] = [
  { machineIdentifier: SERVER, musicSectionId: 3, allowedAccounts: new Set() },
  { machineIdentifier: null, musicSectionId: null, allowedAccounts: new Set([4242]) },
  { machineIdentifier: 'another-server', musicSectionId: 1224, allowedAccounts: new Set([1]) },
];

const rate = (payload: Record<string, any>, top: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
  JSON.stringify({ ...payload, event: 'media.rate', ...top, Metadata: { ...payload.Metadata, ...meta } });

/** Payloads as Plex sends them (the captured samples made into ratings) and as the catch-up poll records them. */
const PAYLOADS: Array<[string, string]> = [
  ['a track rated 8.0 (number)', rate(captured, { rating: 8.0 }, { userRating: 8 })],
  ['a track rated "10" (string, older servers)', rate(captured, { rating: '10' })],
  ['a clear: rating absent', rate(captured, {})],
  ['a clear: rating ""', rate(captured, { rating: '' })],
  ['a clear: rating 0', rate(captured, { rating: 0 })],
  ['a clear: rating -1.0', rate(captured, { rating: -1.0 })],
  ['a clear with a stale userRating', rate(captured, { rating: -1 }, { userRating: 6, lastRatedAt: 1_700_000_000 })],
  ['a shared account (user: false, id 4242)', rate(captured, { user: false, rating: 4, Account: { id: 4242, title: 'friend' } })],
  [
    'an album, numeric ratingKey',
    rate(official, { rating: 6 }, { type: 'album', ratingKey: 1936544, parentRatingKey: 1936543, grandparentRatingKey: undefined }),
  ],
  ['a video section', rate(official, { rating: 6 }, { librarySectionType: 'movie', type: 'movie' })],
  ['library.new', JSON.stringify({ ...official, event: 'library.new' })],
  ['media.play (ignored: unsupported)', JSON.stringify(captured)],
  ['a catch-up row', JSON.stringify({ source: 'catch-up', event: 'poll.rate', ratingKey: '4711', rating: 8 })],
  ['an invalid ratingKey', rate(captured, { rating: 8 }, { ratingKey: '../../identity?x=' })],
];

const stored = (text: string) => readStoredPayload(storePayload(text))!;

describe('the stored payload', () => {
  it.each(PAYLOADS)('%s: classifies as the payload Plex sent, in every context', (_name, text) => {
    const original = parsePayload(text);
    const again = parsePayload(JSON.stringify(stored(text)));
    if (!original.ok || !again.ok) throw new Error('a sample does not parse');
    for (const ctx of contexts) expect(classify(again.payload, ctx)).toEqual(classify(original.payload, ctx));
  });

  it('keeps the titles, the keys, who rated and from which player; drops thumbs, guids, tags, addresses', () => {
    const text = rate(captured, { rating: 8.0 }, { userRating: 8, lastRatedAt: 1_700_000_123 });
    expect(stored(text)).toEqual({
      event: 'media.rate',
      user: true,
      owner: true,
      rating: 8,
      Account: { id: 1, title: 'username' },
      Server: { uuid: SERVER, title: 'Office' },
      Player: { title: 'Chrome', local: true },
      Metadata: {
        librarySectionType: 'artist',
        librarySectionID: 3,
        type: 'track',
        ratingKey: '8365',
        parentRatingKey: '8364',
        grandparentRatingKey: '8363',
        title: 'Oops!…I Did It Again (album version)',
        parentTitle: "RTL: I Like the 90's",
        grandparentTitle: 'Various Artists',
        originalTitle: 'Britney Spears',
        userRating: 8,
        lastRatedAt: 1_700_000_123,
      },
    });
    // ~1.9 KB as sent (pretty-printed), ~1.3 KB compact; stored in a small fraction of it.
    expect(text.length).toBeGreaterThan(1200);
    expect(storePayload(text).length).toBeLessThan(260);
  });

  it.each([
    ['a 200 KB title', rate(captured, { rating: 8 }, { title: 'x'.repeat(200_000) })],
    ['200 KB of unknown fields', rate(captured, { rating: 8, pad: 'y'.repeat(200_000), more: [{ a: 'z'.repeat(1000) }] })],
    [
      'a 100,000-entry Mood list',
      rate(captured, { rating: 8 }, { Mood: Array.from({ length: 100_000 }, (_, i) => ({ id: i, tag: `m${i}` })) }),
    ],
    [
      'every kept field of the wrong type',
      JSON.stringify({
        event: 'media.rate',
        user: 'yes',
        rating: { n: 8 },
        Account: [1],
        Server: 'x',
        Player: null,
        Metadata: { title: 12, ratingKey: { k: 1 }, lastRatedAt: 'soon', userRating: true },
      }),
    ],
    ['Metadata as an array', JSON.stringify({ event: 'media.rate', rating: 8, Metadata: [{ ratingKey: '1' }] })],
    ['deeply nested junk', `{"event":"media.rate","Metadata":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`],
    ['a JSON array', '[1,2,3]'],
    ['not JSON at all', 'not json {'],
    ['an empty text', ''],
    ['emoji cut at the limit', rate(captured, { rating: 8 }, { title: `${'a'.repeat(MAX_STORED_TEXT - 2)}😀😀😀` })],
    ['control characters and quotes', rate(captured, { rating: 8 }, { title: '\u0000"\\\n\t</script>' })],
  ])('%s: stored without an error, small, and read back', (_name, text) => {
    const bytes = storePayload(text);
    expect(bytes.length).toBeLessThan(1024);
    const back = readStoredPayload(bytes)!;
    expect(back).not.toHaveProperty('unreadable');
    // Every string kept is whole text (no half character) and capped.
    const strings: string[] = [];
    JSON.stringify(back, (_k, v: unknown) => {
      if (typeof v === 'string') strings.push(v);
      return v;
    });
    for (const s of strings) {
      expect(s.length).toBeLessThanOrEqual(MAX_STORED_TEXT);
      expect(s).toBe(Buffer.from(s, 'utf8').toString('utf8'));
    }
  });

  it('cuts a long title and keeps its beginning', () => {
    const title = readStoredPayload(storePayload(rate(captured, { rating: 8 }, { title: 'x'.repeat(5000) })))!.Metadata as {
      title: string;
    };
    expect(title.title).toBe(`${'x'.repeat(MAX_STORED_TEXT - 1)}…`);
  });

  it.each([
    ['a dropped payload', '', null],
    ['a row stored before the compact form (the full text)', rate(captured, { rating: 8 }), 'compact'],
    ['no value', null, null],
  ])('reads %s', (_name, value, expected) => {
    const read = readStoredPayload(value);
    if (expected === null) expect(read).toBeNull();
    else expect(read).toEqual(stored(value!));
  });

  it.each([
    ['an unknown format', Buffer.from([0x7f, 1, 2, 3]), /unknown stored payload format 127/],
    ['a damaged deflate stream', Buffer.concat([Buffer.of(0x01), Buffer.from('not deflate')]), /./],
    ['deflate without the dictionary', Buffer.concat([Buffer.of(0x01), deflateRawSync(Buffer.from('{"event":"media.rate"}'))]), /./],
  ])('reads %s as unreadable, without throwing', (_name, value, why) => {
    const read = readStoredPayload(value);
    // A stream deflated without the dictionary may happen to inflate; it then reads as what it holds.
    if (read && 'unreadable' in read) expect(String(read.unreadable)).toMatch(why);
    else expect(read).toEqual({ event: 'media.rate' });
  });

  it('reads a row stored by format 1 as it was written (its dictionary is frozen: a changed one needs a new format byte)', () => {
    const row = Buffer.from(
      'ASM36CzwhRxId15ibirWEDQ1MTMzSTROsUhMTja2tLQwNjM3NTMxSE22TE41MEgyN0hMs0xONjZD8o5/WlpmMtg0eidgrDFjaWxmamKKPX7AciZ4Ygms' +
        'wBjJcz75ZakKIRmpCv55qQqR+aXqRakK4ZklGRhxGFySWpCRmqcQXJKZk1OMPUbR1NTWAgA=',
      'base64',
    );
    expect(readStoredPayload(row)).toEqual({
      event: 'media.rate',
      user: true,
      owner: true,
      rating: 8,
      Account: { id: 1, title: 'username' },
      Server: { uuid: '54664a3d8acc39983675640ec9ce00b70af9cc36', title: 'Office' },
      Player: { title: 'Plexamp', local: true },
      Metadata: {
        librarySectionType: 'artist',
        librarySectionID: 1,
        type: 'track',
        ratingKey: '1936545',
        parentRatingKey: '1936544',
        grandparentRatingKey: '1936543',
        title: "Love The One You're With",
        parentTitle: 'Stephen Stills',
        grandparentTitle: 'Stephen Stills',
      },
    });
  });

  it('refuses a payload that is not text (a programming error), rather than storing something else', () => {
    expect(() => storePayload(null as unknown as string)).toThrow(TypeError);
  });
});
