// What a Plex webhook payload means for Sagewire. Plex sends `media.rate` with a top-level
// `rating` (a number on current servers, a string on older ones); a rating that is absent, empty,
// 0 or -1 with no `Metadata.userRating` means the person cleared it. Only the owner's own ratings
// (or allow-listed accounts) on the configured music section are acted on; everything else is
// recorded as ignored with a reason.
import { z } from 'zod';

const metadataSchema = z
  .object({
    ratingKey: z.union([z.string(), z.number()]).transform(String).optional(),
    type: z.string().optional(),
    librarySectionType: z.string().optional(),
    librarySectionID: z.union([z.number(), z.string()]).transform(Number).optional(),
    userRating: z.union([z.number(), z.string()]).optional(),
    parentRatingKey: z.union([z.string(), z.number()]).transform(String).optional(),
    grandparentRatingKey: z.union([z.string(), z.number()]).transform(String).optional(),
  })
  .passthrough();

const payloadSchema = z
  .object({
    event: z.string().min(1),
    user: z.boolean().optional(),
    owner: z.boolean().optional(),
    rating: z.union([z.number(), z.string(), z.null()]).optional(),
    Account: z
      .object({ id: z.union([z.number(), z.string()]).transform(Number).optional() })
      .passthrough()
      .optional(),
    Server: z.object({ uuid: z.string().optional() }).passthrough().optional(),
    Metadata: metadataSchema.optional(),
  })
  .passthrough();

export type PlexWebhookPayload = z.infer<typeof payloadSchema>;

export type ParseResult = { ok: true; payload: PlexWebhookPayload } | { ok: false; reason: string };

/** Parses the `payload` part: invalid JSON or a payload without an event is a 400 with this reason. */
export function parsePayload(text: string): ParseResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'payload is not valid JSON' };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ok: false, reason: 'payload is not a JSON object' };
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `payload field ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  return { ok: true, payload: parsed.data };
}

export interface ClassifyContext {
  /** The Plex server's machineIdentifier, when known (null: decided later by the worker). */
  machineIdentifier: string | null;
  musicSectionId: number | null;
  /** The other music sections Sagewire looks after (each with its own state), when several are chosen. */
  moreMusicSectionIds?: ReadonlySet<number>;
  /** Plex account ids whose events are acted on even with `user: false`. */
  allowedAccounts: ReadonlySet<number>;
}

export type ItemType = 'artist' | 'album' | 'track';

export interface Classified {
  status: 'pending' | 'ignored';
  ignoreReason: string | null;
  itemKey: string | null;
  itemType: ItemType | null;
  /** Points 0–10, or null when the rating was cleared (media.rate) or not applicable. */
  rating: number | null;
  accountId: number | null;
  serverUuid: string | null;
}

const ACCEPTED_EVENTS = new Set(['media.rate', 'library.new']);
const ITEM_TYPES = new Set<string>(['artist', 'album', 'track']);

/** Reads Plex's `rating` (number or string); null when it says "cleared". */
export function ratingOf(payload: PlexWebhookPayload): number | null {
  const raw = payload.rating;
  const n = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '') ? NaN : Number(raw);
  const userRating = payload.Metadata?.userRating;
  if (!Number.isFinite(n) || n <= 0) {
    const fallback = userRating === undefined ? NaN : Number(userRating);
    return Number.isFinite(fallback) && fallback > 0 ? Math.min(10, fallback) : null;
  }
  return Math.min(10, n);
}

export function classify(payload: PlexWebhookPayload, ctx: ClassifyContext): Classified {
  const meta = payload.Metadata;
  const itemType = meta?.type && ITEM_TYPES.has(meta.type) ? (meta.type as ItemType) : null;
  const accountId = payload.Account?.id !== undefined && Number.isFinite(payload.Account.id) ? payload.Account.id : null;
  const base = {
    itemKey: meta?.ratingKey ?? null,
    itemType,
    rating: payload.event === 'media.rate' ? ratingOf(payload) : null,
    accountId,
    serverUuid: payload.Server?.uuid ?? null,
  };
  const ignore = (reason: string): Classified => ({ ...base, status: 'ignored', ignoreReason: reason });

  if (!ACCEPTED_EVENTS.has(payload.event)) return ignore(`unsupported event ${payload.event}`);
  if (ctx.machineIdentifier && base.serverUuid && base.serverUuid !== ctx.machineIdentifier) return ignore('other server');
  if (payload.user === false && !(accountId !== null && ctx.allowedAccounts.has(accountId))) return ignore('other account');
  if (!meta) return ignore('no Metadata');
  if (meta.librarySectionType !== undefined && meta.librarySectionType !== 'artist')
    return ignore(`not music (${meta.librarySectionType})`);
  if (!itemType) return ignore(`not an artist, album or track (${meta.type ?? 'no type'})`);
  if (
    ctx.musicSectionId !== null &&
    meta.librarySectionID !== undefined &&
    meta.librarySectionID !== ctx.musicSectionId &&
    !ctx.moreMusicSectionIds?.has(meta.librarySectionID)
  ) {
    return ignore('other library section');
  }
  if (!base.itemKey) return ignore('no ratingKey');
  if (!isRatingKey(base.itemKey)) return { ...ignore('invalid ratingKey'), itemKey: null };
  return { ...base, status: 'pending', ignoreReason: null };
}

/**
 * Plex's ratingKeys are positive integers (sent as strings in JSON). Anything else that claims to be one
 * (`../../identity?x=`) would end up in a Plex request path or an id list, so it is refused wherever a key
 * comes from outside (webhooks, the catch-up poll).
 */
export function isRatingKey(key: string): boolean {
  return /^[1-9][0-9]{0,15}$/.test(key);
}
