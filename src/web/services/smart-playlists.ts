// The rating-driven Plex smart playlists (domain/playlist/smart-playlists.ts) as the page and the API use
// them: each definition with its filter, how many tracks match now in the library cache, and whether
// Sagewire made it in Plex already; and one click to create it or, when it exists, set its filter again.
// A playlist is Sagewire's when Plex still has the ratingKey remembered for it (a setting per definition),
// or else a smart playlist of the same title; otherwise a new one is created. The section is the one the
// library cache was synced from, on the server it was synced from, so the count and the playlist agree.
// Saves run one at a time, so two clicks never create two playlists.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { getSetting, putSetting } from '../../db/settings-repo.js';
import { syncedServerIdentity } from '../../db/sync-state-reads.js';
import { SMART_PLAYLISTS, plexFilterQuery, smartPlaylist, type SmartPlaylistDefinition } from '../../domain/playlist/smart-playlists.js';
import type { FilterSpec } from '../../domain/playlist/index.js';
import { PlexError, type PlexClient, type PlexPlaylist } from '../../plex/index.js';
import type { PlaylistPlex } from './playlist-plex.js';

export class SmartPlaylistError extends Error {
  constructor(
    message: string,
    /** 404 unknown definition, 503 Plex not configured or not synced, 502 Plex refused. */
    readonly status: 404 | 502 | 503,
  ) {
    super(message);
  }
}

export interface SmartPlaylistView {
  id: string;
  title: string;
  description: string;
  /** Plex's syntax, as sent. */
  filter: string;
  words: string;
  limit: number;
  /** Tracks in the library cache that match now (before the limit). */
  matching: number;
  /** The playlist in Plex, or null when not created (or Plex could not be asked). */
  playlist: { ratingKey: string; title: string; tracks: number | null; link: string | null } | null;
}

export interface SmartPlaylistsOverview {
  /** Whether Plex answered; false: states are unknown and saving is refused. */
  connected: boolean;
  problem: string | null;
  items: SmartPlaylistView[];
}

export interface SavedSmartPlaylist {
  ratingKey: string;
  title: string;
  filter: string;
  created: boolean;
}

const settingKey = (id: string) => `playlists.smart.${id}`;
const isSmart = (p: PlexPlaylist) => Boolean(p.smart);

export class SmartPlaylists {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: {
      db: Kysely<Database>;
      plex: Pick<PlaylistPlex, 'current' | 'playlistLink'>;
      /** Tracks the pool admits now (PoolQuery.count). */
      count: (filters: FilterSpec) => number;
    },
  ) {}

  async overview(): Promise<SmartPlaylistsOverview> {
    let lists: PlexPlaylist[] | null = null;
    let problem: string | null = null;
    const current = await this.options.plex.current();
    if (!current) problem = 'Plex is not connected: set the Plex URL and token in Setup.';
    else {
      try {
        lists = await current.plex.playlists(AbortSignal.timeout(5000));
      } catch (err) {
        problem = `Plex did not list its playlists: ${(err as Error).message}`;
      }
    }
    const items: SmartPlaylistView[] = [];
    for (const definition of SMART_PLAYLISTS) {
      const found = lists ? this.existing(lists, definition, await getSetting(this.options.db, settingKey(definition.id))) : null;
      items.push({
        ...this.describe(definition),
        matching: this.options.count(definition.pool),
        playlist: found
          ? {
              ratingKey: String(found.ratingKey),
              title: found.title,
              tracks: typeof found.leafCount === 'number' ? found.leafCount : null,
              link: await this.options.plex.playlistLink(String(found.ratingKey)),
            }
          : null,
      });
    }
    return { connected: lists !== null, problem, items };
  }

  /** Creates the definition's playlist, or sets its filter again when Sagewire made it before. */
  save(id: string): Promise<SavedSmartPlaylist> {
    const run = this.queue.then(() => this.saveNow(id));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async saveNow(id: string): Promise<SavedSmartPlaylist> {
    const definition = smartPlaylist(id);
    if (!definition) throw new SmartPlaylistError(`no smart playlist "${id}"; known: ${SMART_PLAYLISTS.map((d) => d.id).join(', ')}`, 404);
    const current = await this.options.plex.current();
    if (!current) throw new SmartPlaylistError('Plex is not connected: set the Plex URL and token in Setup', 503);
    const filter = plexFilterQuery(definition);
    try {
      const sectionId = await this.section(current.plex);
      const remembered = await getSetting(this.options.db, settingKey(id));
      const found = this.existing(await current.plex.playlists(), definition, remembered);
      let ratingKey: string;
      let title = definition.title;
      if (found) {
        ratingKey = String(found.ratingKey);
        title = found.title;
        await current.plex.updateSmartPlaylist(ratingKey, sectionId, filter);
      } else {
        ratingKey = String((await current.plex.createSmartPlaylist(definition.title, sectionId, filter)).ratingKey);
      }
      await putSetting(this.options.db, settingKey(id), ratingKey);
      return { ratingKey, title, filter, created: !found };
    } catch (err) {
      if (err instanceof PlexError) throw new SmartPlaylistError(`Plex refused the smart playlist: ${err.message}`, 502);
      throw err;
    }
  }

  private describe(definition: SmartPlaylistDefinition) {
    const { id, title, description, words, limit } = definition;
    return { id, title, description, words, limit, filter: plexFilterQuery(definition) };
  }

  private existing(lists: PlexPlaylist[], definition: SmartPlaylistDefinition, remembered: string | null): PlexPlaylist | null {
    const smart = lists.filter(isSmart);
    return (
      (remembered ? smart.find((p) => String(p.ratingKey) === remembered) : undefined) ??
      smart.find((p) => p.title === definition.title) ??
      null
    );
  }

  /** The synced music section, when the connection in effect is the server it was synced from. */
  private async section(plex: PlexClient): Promise<string> {
    const synced = await syncedServerIdentity(this.options.db);
    if (synced.sectionId === null) throw new SmartPlaylistError('the library has not been synced from Plex yet', 503);
    const { machineIdentifier } = await plex.identity();
    if (synced.machineIdentifier !== null && synced.machineIdentifier !== machineIdentifier)
      throw new SmartPlaylistError('the library cache was synced from another Plex server; sync this one first', 503);
    return String(synced.sectionId);
  }
}
