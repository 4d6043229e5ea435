// What route factories receive: the live state and the services around it.
import type { SimState } from '../state/state.js';
import type { SimStats } from '../stats.js';
import type { WebhookEmitter, SimLogger } from '../webhooks/emitter.js';
import type { PlaylistStore } from '../state/playlists.js';
import type { QueryCache } from '../query/filters.js';
import type { SimConfig } from '../config.js';
import type { PlayQueueStore } from '../state/play-queues.js';
import type { PlayerRegistry } from '../state/players.js';
import type { SimSection } from '../state/section.js';

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

/** The MediaContainer attributes Plex puts on answers about a section's items. */
export function libraryAttrs(section: SimSection): Record<string, unknown> {
  const s = section.info;
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
