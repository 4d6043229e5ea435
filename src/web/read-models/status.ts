// What Sagewire knows about itself right now: the dashboard's numbers and GET /api/status. Library and
// inbox counts and the latest run come from the tables; ownership is supplied by the live engine
// (`sources.ownership`), null until its model is built.
import type { Kysely } from 'kysely';
import { inboxCounts, recentEventsBesidesEchoes, recentInboxEvents, type InboxCounts } from '../../db/inbox-reads.js';
import type { Database } from '../../db/schema.js';
import { lastLibrarySyncAt, latestModelRun, latestRun, libraryTableCount } from '../../db/status-reads.js';
import type { RunKind, RunStatus } from '../../db/tables/engine.js';
import type { WebhookStatus } from '../../db/tables/webhooks.js';
import type { OwnershipCounts } from '../../engine/core/ownership-counts.js';
import type { SettingsService } from '../services/settings.js';

/** Times are epoch milliseconds. */
export interface LibraryCounts {
  artists: number;
  albums: number;
  tracks: number;
  lastSyncAt: number | null;
}

export type { OwnershipCounts } from '../../engine/core/ownership-counts.js';

export interface RunSummary {
  id: number;
  kind: RunKind;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  counts: Record<string, number> | null;
  error: string | null;
}

export interface SagewireStatus {
  version: string;
  plex: { configured: boolean; musicLibrary: string | null };
  mode: { dryRun: boolean; webhooks: 'on' | 'off' };
  library: LibraryCounts;
  inbox: InboxCounts;
  /**
   * Every artist, album and track by who owns its rating, per kind and in total (the one definition, in
   * engine/core/ownership-counts.ts, that the CLI uses too); null until the live engine has built its model.
   */
  ownership: OwnershipCounts | null;
  /** μ and ε of the latest run that computed them (points, not stars). */
  model: { mu: number | null; epsilon: number | null; runId: number | null };
  lastRun: RunSummary | null;
  /** Live propagation (worker, incremental engine, catch-up): μ now and at the last full pass, ε, state; null when not running. */
  live: Record<string, unknown> | null;
}

export interface RecentEvent {
  id: number;
  receivedAt: number;
  event: string;
  status: WebhookStatus;
  ignoreReason: string | null;
  itemType: string | null;
  rating: number | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
}

/** Where the engine plugs in what only it can compute. */
export interface StatusSources {
  ownership?: () => Promise<OwnershipCounts | null>;
  live?: () => Promise<Record<string, unknown> | null>;
  /** The music section these pages are about, where it is not the first one chosen (several sections). */
  musicLibrary?: () => string;
}

export interface StatusService {
  current(): Promise<SagewireStatus>;
  /**
   * The newest `limit` events; `besidesEchoes` adds up to that many of the newest events that are not
   * echoes, however many echoes came after them (the Dashboard's feed, which folds echoes).
   */
  recentEvents(limit?: number, besidesEchoes?: number): Promise<RecentEvent[]>;
}

/** How far back (in inbox rows) the feed looks past a burst of echoes for the events that caused them. */
const ECHO_SCAN_ROWS = 20_000;

export interface StatusDeps {
  db: Kysely<Database>;
  version: string;
  settings: SettingsService;
  sources?: StatusSources;
}

export function statusService(deps: StatusDeps): StatusService {
  const { db } = deps;
  return {
    async current() {
      const [artists, albums, tracks, lastSyncAt, inbox, ownership, lastRun, modelRun, plex, dryRun, webhooks, live] = await Promise.all([
        libraryTableCount(db, 'artists'),
        libraryTableCount(db, 'albums'),
        libraryTableCount(db, 'tracks'),
        lastLibrarySyncAt(db),
        inboxCounts(db),
        deps.sources?.ownership?.() ?? Promise.resolve(null),
        latestRun(db),
        latestModelRun(db),
        deps.settings.plexConnection(),
        deps.settings.get('DRY_RUN'),
        deps.settings.get('WEBHOOKS'),
        deps.sources?.live?.() ?? Promise.resolve(null),
      ]);
      return {
        version: deps.version,
        plex: { configured: plex !== null, musicLibrary: plex ? (deps.sources?.musicLibrary?.() ?? plex.musicLibrary) : null },
        mode: {
          dryRun: ['1', 'true', 'yes', 'on'].includes((dryRun.value ?? '').toLowerCase()),
          webhooks: webhooks.value === 'off' ? 'off' : 'on',
        },
        // sync_state keeps Plex-style epoch seconds.
        library: { artists, albums, tracks, lastSyncAt: lastSyncAt !== null ? lastSyncAt * 1000 : null },
        inbox,
        ownership,
        model: { mu: modelRun?.mu ?? null, epsilon: modelRun?.epsilon ?? null, runId: modelRun?.id ?? null },
        lastRun: lastRun
          ? {
              id: lastRun.id,
              kind: lastRun.kind,
              status: lastRun.status,
              startedAt: lastRun.started_at,
              finishedAt: lastRun.finished_at,
              counts: parseCounts(lastRun.counts),
              error: lastRun.error,
            }
          : null,
        live,
      };
    },
    async recentEvents(limit = 10, besidesEchoes = 0) {
      const [newest, people] = await Promise.all([
        recentInboxEvents(db, limit),
        besidesEchoes > 0 ? recentEventsBesidesEchoes(db, besidesEchoes, ECHO_SCAN_ROWS) : Promise.resolve([]),
      ]);
      const byId = new Map([...newest, ...people].map((r) => [r.id, r]));
      const rows = [...byId.values()].sort((a, b) => b.id - a.id);
      return rows.map((r) => ({
        id: r.id,
        receivedAt: r.received_at,
        event: r.event,
        status: r.status,
        ignoreReason: r.ignore_reason,
        itemType: r.item_type,
        rating: r.rating,
        attempts: r.attempts,
        lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at,
      }));
    },
  };
}

function parseCounts(text: string | null): Record<string, number> | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as Record<string, number>;
  } catch {
    return null;
  }
}
