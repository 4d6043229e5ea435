// Plex smart playlists that show what inferred ratings are for: built from Plex's own track filters, so
// they stay live in Plexamp without Sagewire, and every rating Sagewire infers can put a track in them.
// Plex's `>>` is strictly greater: ratings are written on a 0.1 grid, so `userRating>>=7.9` is "8 points
// (4★) or more". `lastViewedAt<<=-12mon` is "last played before 12 months ago" (a Plex month is 30 days,
// as `notPlayedMonths`); a never-played track has no `lastViewedAt` and is not in it. Each definition also
// says the same selection in the pool's terms, for "N tracks match now" from the library cache.
import type { FilterSpec } from './types.js';

export interface SmartPlaylistDefinition {
  /** Stable: the URL, the API and the remembered ratingKey use it. */
  id: string;
  title: string;
  description: string;
  /** Plex's track filters, `field` + operator then value, e.g. `['userRating>>', '7.9']`. */
  filters: readonly (readonly [string, string])[];
  /** Plex's sort, `field:dir`. */
  sort: string;
  /** Most tracks the playlist holds. */
  limit: number;
  /** The filter in the person's words. */
  words: string;
  /** The same tracks in the library cache (before the limit). */
  pool: FilterSpec;
}

const FOUR_STARS = ['userRating>>', '7.9'] as const;

export const SMART_PLAYLISTS: readonly SmartPlaylistDefinition[] = [
  {
    id: 'four-stars',
    title: '4★ and up',
    description: 'Every track rated 4★ or more, by you or inferred by Sagewire; best first.',
    filters: [FOUR_STARS],
    sort: 'userRating:desc',
    limit: 500,
    words: 'rated 4★ or more, highest rated first',
    pool: { minRating: 4 },
  },
  {
    id: 'hidden-gems',
    title: 'Hidden gems',
    description: 'Tracks rated 4★ or more that you have never played: mostly ratings Sagewire inferred.',
    filters: [FOUR_STARS, ['viewCount', '0']],
    sort: 'userRating:desc',
    limit: 200,
    words: 'rated 4★ or more and never played, highest rated first',
    pool: { minRating: 4, neverPlayed: true },
  },
  {
    id: 'rediscover',
    title: 'Rediscover',
    description: 'Tracks rated 4★ or more that you have not played for a year; longest unplayed first.',
    filters: [FOUR_STARS, ['lastViewedAt<<', '-12mon']],
    sort: 'lastViewedAt:asc',
    limit: 200,
    words: 'rated 4★ or more, played before but not in the last 12 months, longest unplayed first',
    pool: { minRating: 4, minPlays: 1, notPlayedMonths: 12 },
  },
  {
    id: 'heavy-rotation',
    title: 'Heavy rotation',
    description: 'Your 4½★ and 5★ tracks, most played first.',
    filters: [['userRating>>', '8.9']],
    sort: 'viewCount:desc',
    limit: 100,
    words: 'rated 4½★ or more, most played first',
    pool: { minRating: 4.5 },
  },
];

export function smartPlaylist(id: string): SmartPlaylistDefinition | undefined {
  return SMART_PLAYLISTS.find((d) => d.id === id);
}

/** The definition as Plex's query, unencoded: `userRating>>=7.9&viewCount=0&sort=userRating:desc&limit=200`. */
export function plexFilterQuery(definition: SmartPlaylistDefinition): string {
  return [...definition.filters, ['sort', definition.sort], ['limit', String(definition.limit)]].map(([k, v]) => `${k}=${v}`).join('&');
}
