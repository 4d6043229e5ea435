// Sonically similar tracks (`GET /library/metadata/{key}/nearest`), which only servers with sonic analysis
// (Plex Pass, analysed libraries) can answer. A server without it has no such route for the track: it
// answers 404 (or 400/501) although the track itself exists, so a 404 is told apart from a missing track
// by asking for the track. An empty list from a server that has the route means "no neighbours close
// enough", not "no sonic analysis".
import { checkedKeys } from './edit-query.js';
import { PlexHttpError, PlexNotFoundError } from './errors.js';
import type { PlexTransport } from './transport.js';
import type { PlexMediaContainer, PlexResponse, PlexSonicNeighbour, PlexTrack } from './types.js';

export interface SonicOptions {
  /** Most neighbours wanted; the server's default is 50. */
  limit?: number;
  /** 0–1; the server's default is 0.25. */
  maxDistance?: number;
  signal?: AbortSignal;
}

export type SonicAnswer = { available: true; neighbours: PlexSonicNeighbour[] } | { available: false; neighbours: [] };

type NearestContainer = PlexMediaContainer<PlexTrack & { distance?: number | string }>;

/** Nearest first; a missing or unreadable distance sorts last, the server's order kept among equals. */
export function neighboursOf(items: readonly (PlexTrack & { distance?: number | string })[], seedKey: string): PlexSonicNeighbour[] {
  return items
    .filter((t) => t && String(t.ratingKey) !== seedKey && (t.type === undefined || t.type === 'track'))
    .map((t, i) => {
      const d = Number(t.distance);
      return { track: { ...t, ratingKey: String(t.ratingKey) }, distance: t.distance !== undefined && Number.isFinite(d) ? d : null, i };
    })
    .sort((a, b) => (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY) || a.i - b.i)
    .map(({ track, distance }) => ({ track, distance }));
}

export async function sonicallySimilar(transport: PlexTransport, key: string | number, options: SonicOptions = {}): Promise<SonicAnswer> {
  const [seed] = checkedKeys([key], 'sonicallySimilar');
  const query: [string, string | number][] = [];
  if (options.limit !== undefined) query.push(['limit', Math.max(1, Math.min(500, Math.floor(options.limit)))]);
  if (options.maxDistance !== undefined) query.push(['maxDistance', Math.max(0, Math.min(1, options.maxDistance))]);
  try {
    const body = await transport.request<PlexResponse<NearestContainer>>('GET', `/library/metadata/${seed}/nearest`, {
      query,
      idempotent: true,
      signal: options.signal,
    });
    return { available: true, neighbours: neighboursOf(body?.MediaContainer?.Metadata ?? [], seed) };
  } catch (err) {
    if (!(err instanceof PlexHttpError) || ![400, 404, 501].includes(err.status)) throw err;
    if (err instanceof PlexNotFoundError) {
      // Throws PlexNotFoundError itself when the track is gone: that is the caller's problem to report.
      await transport.request('GET', `/library/metadata/${seed}`, { idempotent: true, signal: options.signal });
    }
    return { available: false, neighbours: [] };
  }
}
