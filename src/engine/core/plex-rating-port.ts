// Adapts the Plex client to the engine's RatingWriterPort for one music section.
import type { PlexClient } from '../../plex/client.js';
import { PLEX_TYPE, type PlexItem } from '../../plex/types.js';
import type { CurrentItem, ItemKind, RatingWriterPort } from './rating-port.js';

const KIND_OF_TYPE: Record<string, ItemKind> = { artist: 'artist', album: 'album', track: 'track' };

export class PlexRatingPort implements RatingWriterPort {
  constructor(
    private readonly client: PlexClient,
    private readonly sectionId: number | string,
  ) {}

  async readCurrent(keys: readonly string[], signal?: AbortSignal): Promise<Map<string, CurrentItem>> {
    const items = await this.client.metadata(keys, { signal });
    const current = new Map<string, CurrentItem>();
    for (const item of items as PlexItem[]) {
      const kind = KIND_OF_TYPE[item.type];
      if (!kind) continue;
      current.set(String(item.ratingKey), {
        kind,
        rating: typeof item.userRating === 'number' ? item.userRating : null,
        moods: (item.Mood ?? []).map((m) => m.tag),
      });
    }
    return current;
  }

  rate(key: string, value: number | null): Promise<void> {
    return this.client.rate(key, value);
  }

  bulkRate(kind: ItemKind, keys: readonly string[], value: number | null): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.client.editUserRating(this.sectionId, PLEX_TYPE[kind], keys, value);
  }

  editMoods(kind: ItemKind, keys: readonly string[], change: { add?: readonly string[]; remove?: readonly string[] }): Promise<void> {
    if (keys.length === 0) return Promise.resolve();
    return this.client.editTags(this.sectionId, PLEX_TYPE[kind], keys, { field: 'mood', add: change.add, remove: change.remove });
  }
}
