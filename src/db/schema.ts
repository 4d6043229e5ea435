// One interface describes every table. Each concept keeps its tables in src/db/tables/.
import type { AdminSessionTable } from './tables/auth.js';
import type { DataVersionTable } from './tables/data-versions.js';
import type { EngineLeaseTable, EngineRunTable, RatingStateTable, WriteJournalTable } from './tables/engine.js';
import type { PlaylistGenerationTable } from './tables/playlists.js';
import type { AlbumRecommendationTable } from './tables/recommendations.js';
import type { PlaylistScheduleTable } from './tables/playlist-schedules.js';
import type { AlbumTable, ArtistTable, ItemTagTable, SyncStateTable, TrackTable } from './tables/library.js';
import type { SettingTable } from './tables/settings.js';
import type { WebhookEventTable, WebhookEventTotalTable } from './tables/webhooks.js';

export interface Database {
  settings: SettingTable;
  artists: ArtistTable;
  albums: AlbumTable;
  tracks: TrackTable;
  item_tags: ItemTagTable;
  sync_state: SyncStateTable;
  webhook_events: WebhookEventTable;
  webhook_event_totals: WebhookEventTotalTable;
  rating_state: RatingStateTable;
  engine_runs: EngineRunTable;
  write_journal: WriteJournalTable;
  engine_lease: EngineLeaseTable;
  admin_sessions: AdminSessionTable;
  playlist_generations: PlaylistGenerationTable;
  album_recommendations: AlbumRecommendationTable;
  playlist_schedules: PlaylistScheduleTable;
  data_versions: DataVersionTable;
}
