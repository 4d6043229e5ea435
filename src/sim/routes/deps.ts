// What route factories receive: the live state and the services around it.
import type { SimState } from '../state/state.js';
import type { SimStats } from '../stats.js';
import type { WebhookEmitter, SimLogger } from '../webhooks/emitter.js';
import type { PlaylistStore } from '../state/playlists.js';
import type { QueryCache } from '../query/filters.js';
import type { SimConfig } from '../config.js';
import type { PlayQueueStore } from '../state/play-queues.js';
import type { PlayerRegistry } from '../state/players.js';

export interface SimDeps {
  state: SimState;
  config: SimConfig;
  stats: SimStats;
  webhooks: WebhookEmitter;
  playlists: PlaylistStore;
  queries: QueryCache;
  playQueues: PlayQueueStore;
  players: PlayerRegistry;
  token: string;
  log: SimLogger;
}

/** The MediaContainer attributes Plex puts on library answers. */
export function libraryAttrs(deps: SimDeps): Record<string, unknown> {
  const s = deps.state.library.section;
  return {
    allowSync: true,
    identifier: 'com.plexapp.plugins.library',
    librarySectionID: s.id,
    librarySectionTitle: s.title,
    librarySectionUUID: s.uuid,
    mediaTagPrefix: '/system/bundle/media/flags/',
    mediaTagVersion: 1739452395,
  };
}
