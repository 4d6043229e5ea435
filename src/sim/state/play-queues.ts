// Play queues: the server-side list a player plays from. Like Plex, a queue keeps its source URI, a selected
// item (where playback starts, or is now), whether it was shuffled and a version that grows with every
// change; each entry has its own playQueueItemID because a queue may hold a track twice. Queues are
// ephemeral (Plex calls them lightweight): they are not saved with the library.
// Shuffling is deterministic (seeded by the library seed and the queue id) and keeps the selected item first,
// as Plex does when a queue is created shuffled from a given `key`.
import type { SimState } from './state.js';
import { createRng } from '../generate/prng.js';
import { BadRequest } from '../render/respond.js';

export interface SimPlayQueueItem {
  playQueueItemID: number;
  ratingKey: string;
}

export interface SimPlayQueue {
  id: number;
  items: SimPlayQueueItem[];
  /** Index into items of the selected entry. */
  selected: number;
  shuffled: boolean;
  sourceURI: string;
  version: number;
}

export interface CreateQueueRequest {
  trackKeys: string[];
  sourceURI: string;
  shuffle: boolean;
  /** ratingKey of the entry to select (python-plexapi's `startItem`); the first entry otherwise. */
  startKey?: string;
}

/** Queues kept at most; the oldest are forgotten, as a long-running server does. */
const MAX_QUEUES = 1000;

export class PlayQueueStore {
  private readonly queues = new Map<number, SimPlayQueue>();
  private nextId = 1;
  private nextItemId = 1;

  constructor(private readonly state: SimState) {}

  create(req: CreateQueueRequest): SimPlayQueue {
    if (req.trackKeys.length === 0) throw new BadRequest('the play queue would be empty');
    let keys = req.trackKeys;
    let start = 0;
    if (req.startKey !== undefined) {
      start = keys.indexOf(req.startKey);
      if (start < 0) throw new BadRequest(`key ${req.startKey} is not in the play queue's source`);
    }
    const id = this.nextId++;
    if (req.shuffle) {
      const rng = createRng((this.state.library.seed ^ Math.imul(id, 0x9e3779b1)) >>> 0);
      const first = keys[start];
      const rest = keys.filter((_, i) => i !== start);
      keys = req.startKey !== undefined ? [first, ...rng.sample(rest, rest.length)] : rng.sample(keys, keys.length);
      start = 0;
    }
    const queue: SimPlayQueue = {
      id,
      items: keys.map((ratingKey) => ({ playQueueItemID: this.nextItemId++, ratingKey })),
      selected: start,
      shuffled: req.shuffle,
      sourceURI: req.sourceURI,
      version: 1,
    };
    this.queues.set(id, queue);
    if (this.queues.size > MAX_QUEUES) this.queues.delete(this.queues.keys().next().value as number);
    return queue;
  }

  get(id: number): SimPlayQueue | undefined {
    return this.queues.get(id);
  }

  /** Moves the selection (a player started or moved on); the version grows as on a real server. */
  select(queue: SimPlayQueue, index: number): void {
    if (index === queue.selected) return;
    queue.selected = index;
    queue.version++;
  }

  /** The entries a `window` around `center` shows (python-plexapi and players ask for 50–100 each side). */
  window(
    queue: SimPlayQueue,
    opts: { center?: number; window: number; includeBefore: boolean; includeAfter: boolean },
  ): SimPlayQueueItem[] {
    const center = opts.center ?? queue.selected;
    const from = opts.includeBefore ? Math.max(0, center - opts.window) : center + 1;
    const to = opts.includeAfter ? Math.min(queue.items.length, center + opts.window + 1) : center;
    return queue.items.slice(from, Math.max(from, to));
  }
}
