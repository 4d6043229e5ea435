// The dashboard's live feed: each recent webhook event with what applying it did, in words — N writes, an
// echo of Sagewire's own write, ignored and why, failed and when it retries — and whether its run can be
// undone. Reads the outcome the worker stored on the inbox row (`outcome`, `run_id`), and names the item
// from the library cache (its title, and its artist and album) so a row says which song it was about.
import type { Kysely } from 'kysely';
import { feedItems } from '../../db/feed-items.js';
import { inboxOutcomes } from '../../db/inbox-reads.js';
import type { Database } from '../../db/schema.js';
import { fmt } from '../format.js';
import type { RecentEvent } from './status.js';

export interface FeedEvent extends RecentEvent {
  did: string;
  tone: 'good' | 'quiet' | 'warn' | 'bad';
  runId: number | null;
  /** The event's run wrote ratings that undo can restore. */
  undoable: boolean;
  /** The item the event is about (its Explorer page), and its title and place when the library cache holds it. */
  itemKey: string | null;
  title: string | null;
  itemContext: string | null;
}

const IGNORED: Record<string, string> = {
  'not-music': 'not from the music library',
  'other-server': 'from another Plex server',
  'other-account': 'from another Plex account',
  'unsupported-event': 'not a rating or new music',
};

export async function eventFeed(db: Kysely<Database>, events: RecentEvent[], now = Date.now()): Promise<FeedEvent[]> {
  if (events.length === 0) return [];
  const ids = events.map((e) => e.id);
  const [rows, items] = await Promise.all([inboxOutcomes(db, ids), feedItems(db, ids)]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const itemById = new Map(items.map((i) => [i.id, i]));
  return events.map((event) => {
    const row = byId.get(event.id);
    const item = itemById.get(event.id);
    const outcome = parseOutcome(row?.outcome ?? null);
    return {
      ...event,
      runId: row?.run_id ?? null,
      itemKey: item?.item_key ?? null,
      title: item?.title ?? null,
      itemContext: item?.context ?? null,
      ...describe(event, outcome, now, row?.undoable ?? 0),
    };
  });
}

function describe(
  e: RecentEvent,
  o: Record<string, unknown>,
  now: number,
  /** The run's rating writes undo could still restore. */
  restorable: number,
): Pick<FeedEvent, 'did' | 'tone' | 'undoable'> {
  const no = { undoable: false };
  switch (e.status) {
    case 'pending':
      if (e.attempts > 0)
        return {
          ...no,
          tone: 'warn',
          did: `failed ${e.attempts}× (${e.lastError ?? 'unknown error'}); retries ${fmt.ago(e.nextAttemptAt, now)}`,
        };
      return { ...no, tone: 'quiet', did: 'waiting to be applied' };
    case 'processing':
      return { ...no, tone: 'quiet', did: 'being applied now' };
    case 'dead':
      return {
        ...no,
        tone: 'bad',
        did: `gave up after ${e.attempts} attempts: ${e.lastError ?? 'unknown error'} — retry it from Ratings`,
      };
    case 'ignored': {
      const reason = typeof o.ignored === 'string' ? o.ignored : (e.ignoreReason ?? 'unknown');
      return { ...no, tone: 'quiet', did: `ignored: ${IGNORED[reason] ?? reason}` };
    }
    default:
      break;
  }
  if (o.echo) return { ...no, tone: 'quiet', did: 'echo of a rating Sagewire wrote: nothing to do' };
  if (o.gone) return { ...no, tone: 'quiet', did: 'the item is no longer in Plex' };
  const writes = typeof o.writes === 'number' ? o.writes : 0;
  const parts = [
    o.dryRun
      ? `${num(o.planned)} change${o.planned === 1 ? '' : 's'} planned (dry run, nothing written)`
      : `${writes} write${writes === 1 ? '' : 's'}`,
  ];
  if (typeof o.recomputed === 'number') parts.push(`${o.recomputed} items recomputed`);
  if (o.takeover) parts.push('you took over an inferred rating');
  if (o.optOut) parts.push('you cleared an inferred rating: opted out');
  if (o.cleared) parts.push('your rating was cleared');
  if (typeof o.coalesced === 'number') parts.push(`applied together with ${o.coalesced - 1} other event${o.coalesced === 2 ? '' : 's'}`);
  // Writes that an undo has since restored: say so, and offer no second undo.
  if (writes > 0 && !o.dryRun && restorable === 0) parts.push('undone');
  return { tone: writes > 0 ? 'good' : 'quiet', did: parts.join(' · '), undoable: writes > 0 && !o.dryRun && restorable > 0 };
}

const num = (n: unknown) => (typeof n === 'number' ? n : 0);

function parseOutcome(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
