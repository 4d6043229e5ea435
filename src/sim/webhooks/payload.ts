// Webhook payloads shaped like Plex's: event, user, owner, Account, Server, Player, Metadata (the item as
// the JSON API shows it plus `librarySectionType`), and for `media.rate` a top-level `rating` whose
// representation (number 8.0, string "8", and how a clear looks) follows the config.
import type { SimState, ItemRef, RatingEvent } from '../state/state.js';
import { OWNER_ACCOUNT_ID } from '../state/state.js';
import { renderRef } from '../render/items.js';

type Json = Record<string, unknown>;

export function account(id: number): Json {
  return id === OWNER_ACCOUNT_ID
    ? { id, thumb: 'https://plex.tv/users/5a1e0c0ffee00001/avatar?c=1700000000', title: 'sim-owner' }
    : { id, thumb: `https://plex.tv/users/5a1e0c0ffee${String(id).padStart(5, '0')}/avatar?c=1700000000`, title: `friend-${id}` };
}

const PLAYER: Json = { local: true, publicAddress: '203.0.113.7', title: 'Plexamp', uuid: 'sagewire-sim-plexamp' };

function metadata(state: SimState, ref: ItemRef, override?: { rating: number | undefined; at: number }): Json {
  const meta = renderRef(state, ref);
  delete meta.Media; // webhook metadata carries no media/part blocks
  if (override) {
    meta.userRating = override.rating;
    meta.lastRatedAt = override.rating === undefined ? undefined : override.at;
  }
  return { librarySectionType: 'artist', ...meta };
}

/** Compact JSON with keys in Plex's order; `rating` is spliced in raw so a whole number can read `8.0`. */
function assemble(fields: [string, unknown][], rawRating?: string): string {
  const parts = fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
  if (rawRating !== undefined) parts.splice(parts.length - 1, 0, `"rating":${rawRating}`);
  return `{${parts.join(',')}}`;
}

function rawRating(state: SimState, rating: number | undefined): string | undefined {
  const asString = state.config.ratingAsString;
  if (rating === undefined) {
    switch (state.config.clearedRating) {
      case 'absent':
        return undefined;
      case 'empty':
        return '""';
      case 'zero':
        return asString ? '"0"' : '0.0';
      case 'minus1':
        return asString ? '"-1"' : '-1.0';
    }
  }
  if (asString) return JSON.stringify(String(rating));
  return Number.isInteger(rating) ? rating.toFixed(1) : String(rating);
}

export function ratePayload(state: SimState, e: RatingEvent): string {
  const shared = e.account !== OWNER_ACCOUNT_ID;
  return assemble(
    [
      ['event', 'media.rate'],
      ['user', !shared],
      ['owner', true],
      ['Account', account(e.account)],
      ['Server', { title: state.library.friendlyName, uuid: state.machineIdentifier }],
      ['Player', e.origin === 'person' ? PLAYER : undefined],
      ['Metadata', metadata(state, e.ref, shared ? { rating: e.rating, at: state.clock() } : undefined)],
    ],
    rawRating(state, e.rating),
  );
}

export function libraryNewPayload(state: SimState, ref: ItemRef): string {
  return assemble([
    ['event', 'library.new'],
    ['user', true],
    ['owner', true],
    ['Account', account(OWNER_ACCOUNT_ID)],
    ['Server', { title: state.library.friendlyName, uuid: state.machineIdentifier }],
    ['Metadata', metadata(state, ref)],
  ]);
}
