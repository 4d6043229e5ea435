// Runtime switches of the simulator. Behaviours PLEX-API.md marks "unverified" are switchable here so the
// client can be tested against every plausible variant of real Plex.

export type FaultMode = 'error' | 'timeout' | 'drop';
export type ClearedRatingStyle = 'minus1' | 'absent' | 'zero' | 'empty';

export interface SimConfig {
  /** Round stored ratings to one decimal (Plex does). */
  roundRatings: boolean;
  /** `userRating.value=` edits act like `/:/rate` on each id; off: they are ignored with a 200. */
  bulkRatingEdits: boolean;
  /** Ratings written through the API (`/:/rate`, bulk edits) come back as `media.rate` webhooks. */
  echoWebhooks: boolean;
  /** `media.rate` carries `rating` as a string ("8") instead of a number (8.0). */
  ratingAsString: boolean;
  /** How a cleared rating appears in `media.rate`'s top-level `rating`. */
  clearedRating: ClearedRatingStyle;
  /** Clearing a rating keeps (and refreshes) `lastRatedAt`; off: `lastRatedAt` is removed with the rating. */
  clearTouchesLastRatedAt: boolean;
  /** Which item `library.new` carries for an added album. */
  libraryNewLevel: 'artist' | 'album' | 'track';
  /** Attach a JPEG `thumb` part to webhooks of items with artwork. */
  webhookThumb: boolean;
  latencyMs: number;
  faultRate: number;
  faultMode: FaultMode;
  /** `before`: the fault replaces the request; `after`: the request takes effect, then the answer is lost. */
  faultPhase: 'before' | 'after';
  /** How long a `timeout` fault holds the request before dropping it. */
  faultTimeoutMs: number;
  /** The server has sonic analysis (Plex Pass, analysed library): `/library/metadata/{key}/nearest` answers. */
  sonicAnalysis: boolean;
  /**
   * How `/nearest` answers when `sonicAnalysis` is off. Unverified: no capture of a server without sonic
   * analysis exists, so both plausible answers are available — a 404 page (the default: the server has no
   * sonic data for the item) or an empty 200 container (the route exists, nothing is near).
   */
  noSonicAnswer: 'notFound' | 'empty';
}

export const DEFAULT_CONFIG: SimConfig = {
  roundRatings: true,
  bulkRatingEdits: true,
  echoWebhooks: true,
  ratingAsString: false,
  clearedRating: 'minus1',
  clearTouchesLastRatedAt: true,
  libraryNewLevel: 'album',
  webhookThumb: true,
  latencyMs: 0,
  faultRate: 0,
  faultMode: 'error',
  faultPhase: 'before',
  faultTimeoutMs: 30_000,
  sonicAnalysis: true,
  noSonicAnswer: 'notFound',
};

const BOOLEAN_KEYS = [
  'roundRatings',
  'bulkRatingEdits',
  'echoWebhooks',
  'ratingAsString',
  'clearTouchesLastRatedAt',
  'webhookThumb',
  'sonicAnalysis',
] as const;
const ENUMS: Record<string, readonly string[]> = {
  clearedRating: ['minus1', 'absent', 'zero', 'empty'],
  libraryNewLevel: ['artist', 'album', 'track'],
  faultMode: ['error', 'timeout', 'drop'],
  faultPhase: ['before', 'after'],
  noSonicAnswer: ['notFound', 'empty'],
};

/** Applies `key=value` pairs (from `/__sim/config` or `/__sim/faults`) and returns the problems found. */
export function applyConfig(config: SimConfig, values: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(values)) {
    if (key.startsWith('X-Plex-')) continue;
    const name =
      key === 'rate'
        ? 'faultRate'
        : key === 'mode'
          ? 'faultMode'
          : key === 'phase'
            ? 'faultPhase'
            : key === 'echo'
              ? 'echoWebhooks'
              : key === 'timeoutMs'
                ? 'faultTimeoutMs'
                : key;
    if ((BOOLEAN_KEYS as readonly string[]).includes(name)) {
      if (!['0', '1', 'true', 'false'].includes(raw)) problems.push(`${key} must be 0 or 1`);
      else (config as unknown as Record<string, boolean>)[name] = raw === '1' || raw === 'true';
    } else if (name in ENUMS) {
      if (!ENUMS[name].includes(raw)) problems.push(`${key} must be one of ${ENUMS[name].join(', ')}`);
      else (config as unknown as Record<string, string>)[name] = raw;
    } else if (name === 'faultRate' || name === 'latencyMs' || name === 'faultTimeoutMs') {
      const n = Number(raw);
      if (raw === '' || !Number.isFinite(n) || n < 0 || (name === 'faultRate' && n > 1)) problems.push(`${key} is out of range`);
      else config[name] = n;
    } else {
      problems.push(`unknown setting ${key}`);
    }
  }
  return problems;
}
