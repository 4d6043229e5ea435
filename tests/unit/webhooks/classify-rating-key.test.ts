// A ratingKey from outside is a positive integer or the event is refused at classification (stored as
// ignored with the reason, and without the key), so it never reaches a Plex request or a batch's id list.
import { describe, expect, it } from 'vitest';
import { classify, isRatingKey, parsePayload, type ClassifyContext } from '../../../src/webhooks/payload.js';

const ctx: ClassifyContext = { machineIdentifier: 'server-1', musicSectionId: 3, allowedAccounts: new Set() };

function rateEvent(ratingKey: unknown, event = 'media.rate') {
  const parsed = parsePayload(
    JSON.stringify({
      event,
      user: true,
      owner: true,
      rating: 8,
      Account: { id: 1 },
      Server: { uuid: 'server-1' },
      Metadata: { librarySectionType: 'artist', librarySectionID: 3, type: 'track', ratingKey },
    }),
  );
  if (!parsed.ok) throw new Error(parsed.reason);
  return classify(parsed.payload, ctx);
}

describe('ratingKey at classification', () => {
  it.each([
    ['../../identity?x=', 'invalid ratingKey'],
    ['12/../../identity', 'invalid ratingKey'],
    ['12,13', 'invalid ratingKey'],
    ['12?X-Plex-Token=x', 'invalid ratingKey'],
    ['0', 'invalid ratingKey'],
    ['-5', 'invalid ratingKey'],
    ['007', 'invalid ratingKey'],
    ['1e3', 'invalid ratingKey'],
    [' 12', 'invalid ratingKey'],
    ['12345678901234567', 'invalid ratingKey'],
    [12.5, 'invalid ratingKey'],
  ])('refuses %j: %s', (key, reason) => {
    expect(rateEvent(key)).toMatchObject({ status: 'ignored', ignoreReason: reason, itemKey: null });
  });

  it('an empty key is still "no ratingKey"', () => {
    expect(rateEvent('')).toMatchObject({ status: 'ignored', ignoreReason: 'no ratingKey' });
  });

  it.each([['1'], ['12345'], [67890], ['9007199254740']])('accepts %j', (key) => {
    expect(rateEvent(key)).toMatchObject({ status: 'pending', ignoreReason: null, itemKey: String(key) });
  });

  it('refuses it for library.new too', () => {
    expect(rateEvent('../x', 'library.new')).toMatchObject({ status: 'ignored', ignoreReason: 'invalid ratingKey' });
  });

  it('isRatingKey is the same rule', () => {
    expect(['1', '42', '9999999999999999'].map(isRatingKey)).toEqual([true, true, true]);
    expect(['', '0', '01', 'a1', '1a', '1.0', '../1'].map(isRatingKey)).toEqual([false, false, false, false, false, false, false]);
  });
});
