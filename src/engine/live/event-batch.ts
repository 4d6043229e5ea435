// How a batch of claimed inbox events is sorted before any Plex request: what each event asks for, which
// ones are echoes (Sagewire's own write coming back: no work, no request), and — once the items are read —
// which events share a subtree and are applied together (coalesced by artist; by album for compilations).
import { scopeOfEvent, type RecomputeScope } from '../../domain/rating/index.js';
import type { EngineJournalRepo } from '../../db/engine-journal-repo.js';
import type { InboxEvent } from '../../webhooks/worker.js';
import type { LiveModel } from './live-model.js';
import { sameRating } from '../core/values.js';

/** Webhook events and the catch-up poll's synthetic ones (same path, same durability). */
export const RATE_EVENTS: ReadonlySet<string> = new Set(['media.rate', 'poll.rate']);
export const NEW_EVENTS: ReadonlySet<string> = new Set(['library.new', 'poll.new']);

export type EventIntent =
  | { kind: 'ignore'; reason: string }
  | { kind: 'echo' }
  | { kind: 'rate'; key: string }
  | { kind: 'new'; key: string };

/** What one event asks for, before Plex is asked anything. `machineIdentifier` re-checks the server. */
export function intentOf(event: InboxEvent, model: LiveModel, machineIdentifier: string | null): EventIntent {
  if (!event.item_key) return { kind: 'ignore', reason: 'no ratingKey' };
  if (machineIdentifier && event.server_uuid && event.server_uuid !== machineIdentifier) return { kind: 'ignore', reason: 'other server' };
  if (NEW_EVENTS.has(event.event)) return { kind: 'new', key: event.item_key };
  if (!RATE_EVENTS.has(event.event)) return { kind: 'ignore', reason: `unsupported event ${event.event}` };
  if (isEcho(event, model)) return { kind: 'echo' };
  return { kind: 'rate', key: event.item_key };
}

/**
 * An echo: the event carries the value Sagewire wrote, and Sagewire's state still claims that value as
 * what Plex holds. Written values are never whole points, so a person's rating cannot look like one.
 */
export function isEcho(event: InboxEvent, model: LiveModel): boolean {
  if (event.rating === null || !event.item_key) return false;
  const claim = model.claims.get(event.item_key);
  if (!claim || claim.writtenValue === null || claim.optedOut) return false;
  return sameRating(event.rating, claim.writtenValue) && sameRating(model.current.get(event.item_key) ?? null, claim.writtenValue);
}

/** What the person did, as an event tells it: the rating they set, or null for a clear. */
export interface PersonAct {
  event: InboxEvent;
  key: string;
  rating: number | null;
}

/**
 * The event is the person's act (never Sagewire's echo) when it carries a rating Sagewire did not write:
 * any whole point (Sagewire writes none), any other value Sagewire never had Plex accept for the item, or a
 * clear — unless Sagewire's own last rating change of the item was a clear (undo), whose echo it then is.
 */
export function personActOf(event: InboxEvent, journal: Pick<EngineJournalRepo, 'wroteValue' | 'latestRatingChange'>): PersonAct | null {
  if (!event.item_key || !RATE_EVENTS.has(event.event)) return null;
  const key = event.item_key;
  const rating = event.rating;
  if (rating === null) return journal.latestRatingChange(key)?.operation === 'clear' ? null : { event, key, rating };
  if (Math.abs(rating - Math.round(rating)) < 1e-6) return { event, key, rating };
  return journal.wroteValue(key, rating) ? null : { event, key, rating };
}

/** The newest person's act per item (events arrive in the order the person made them). */
export function latestPersonActs(
  events: ReadonlyArray<{ event: InboxEvent; key: string }>,
  journal: Pick<EngineJournalRepo, 'wroteValue' | 'latestRatingChange'>,
): Map<string, PersonAct> {
  const acts = new Map<string, PersonAct>();
  for (const { event } of events) {
    const act = personActOf(event, journal);
    if (!act) continue;
    const seen = acts.get(act.key);
    if (!seen || seen.event.id < event.id) acts.set(act.key, act);
  }
  return acts;
}

export interface EventGroup {
  scope: RecomputeScope;
  /** In arrival order; the last one names the run (engine_runs.event_id). */
  events: InboxEvent[];
}

export function scopeId(scope: RecomputeScope): string {
  return scope.kind === 'artist' ? `artist:${scope.artistKey}` : `album:${scope.albumKey}`;
}

/** Groups events by the subtree they recompute, in the order each subtree was first named. */
export function groupByScope(
  events: ReadonlyArray<{ event: InboxEvent; key: string }>,
  model: LiveModel,
): { groups: EventGroup[]; unknown: InboxEvent[] } {
  const groups = new Map<string, EventGroup>();
  const unknown: InboxEvent[] = [];
  for (const { event, key } of events) {
    const scope = scopeOfEvent(model.index, key);
    if (!scope) {
      unknown.push(event);
      continue;
    }
    const id = scopeId(scope);
    const group = groups.get(id);
    if (group) group.events.push(event);
    else groups.set(id, { scope, events: [event] });
  }
  return { groups: [...groups.values()], unknown };
}
