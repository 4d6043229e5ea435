// Play now: a generated list, a saved playlist or an album, played on a Plex player the way Plex's own
// clients do it — the players are listed from the server, the play queue is created on the server, and
// the player is told to play it through the server. A page with several pickers asks for the list at
// once, so a list may be shared for a few seconds per connection (one `/clients` per page, concurrent
// asks joining the one under way); Play always looks the player up fresh right before the command (a
// phone that went to sleep is no longer listed), and each failure says which of three things happened:
// the player went away, the player or Plex refused, or Plex cannot be reached.
//   status: 400 bad target · 404 player not listed / item not in Plex · 409 player went away mid-way (the
//           command failed and the player is no longer listed) ·
//           502 refused · 503 no Plex connection or Plex unreachable
import {
  PlexAuthError,
  PlexError,
  PlexHttpError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnreachableError,
  PlexUsageError,
  type PlayQueueSource,
  type PlexPlayQueue,
  type PlexPlayer,
} from '../plex/index.js';

/** The few client calls playing needs (PlexClient has them). */
export interface PlayNowPlex {
  players(signal?: AbortSignal): Promise<PlexPlayer[]>;
  createPlayQueue(source: PlayQueueSource): Promise<PlexPlayQueue>;
  playMedia(playerId: string, queue: PlexPlayQueue): Promise<void>;
}

/** What to play, as the API and the pages name it. */
export type PlayTarget = { ratingKeys: readonly string[] } | { playlistRatingKey: string } | { albumRatingKey: string };

export interface PlayerChoice {
  id: string;
  name: string;
  product: string | null;
}

export interface PlayResult {
  player: PlayerChoice;
  playQueueID: string;
  /** Rating key of the track the player starts with. */
  first: string;
  size: number;
}

export type PlayProblem = 'bad-request' | 'player-gone' | 'not-found' | 'refused' | 'unreachable' | 'no-plex';

export class PlayNowError extends Error {
  constructor(
    readonly problem: PlayProblem,
    readonly status: number,
    message: string,
    /** The request field to fix, when there is one. */
    readonly field: string | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PlayNowError';
  }
}

const choiceOf = (p: PlexPlayer): PlayerChoice => ({ id: p.machineIdentifier, name: p.name, product: p.product });

export interface PlayersOptions {
  /** A list looked up at most this long ago (or under way) will do; 0 (the default) asks Plex now. */
  maxAgeMs?: number;
  /** How long to wait for Plex, retries included; without it, the transport's own timeout and retries. */
  timeoutMs?: number;
}

interface SharedList {
  plex: PlayNowPlex;
  /** When the look-up started, on the service's clock. */
  at: number;
  list: Promise<PlexPlayer[]>;
}

function targetField(target: PlayTarget): string {
  return 'ratingKeys' in target ? 'ratingKeys' : 'playlistRatingKey' in target ? 'playlistRatingKey' : 'albumRatingKey';
}

function sourceOf(target: PlayTarget): PlayQueueSource {
  if ('ratingKeys' in target) return { tracks: target.ratingKeys };
  if ('playlistRatingKey' in target) return { playlist: target.playlistRatingKey };
  return { album: target.albumRatingKey };
}

/** Plex errors that are about reaching Plex at all, worded the same for every step. */
function reachProblem(err: unknown): PlayNowError | null {
  if (err instanceof PlexUnreachableError || err instanceof PlexTimeoutError)
    return new PlayNowError('unreachable', 503, `Plex cannot be reached: ${err.message.replace(/^plex: /, '')}`, null, { cause: err });
  if (err instanceof PlexAuthError) return new PlayNowError('refused', 502, err.message.replace(/^plex: /, ''), null, { cause: err });
  return null;
}

export class PlayNow {
  /** The latest look-up of the players (one connection at a time: a new connection's client misses it). */
  private shared: SharedList | null = null;

  constructor(
    /** The client for the Plex connection in effect, or null while none is set. */
    private readonly plex: () => Promise<PlayNowPlex | null>,
    /** Milliseconds on a monotonic clock; the age of a shared list is measured with it. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The players that can be told to play, by name: as Plex lists them now, or as it did `maxAgeMs` ago. */
  async players(options: PlayersOptions = {}): Promise<PlayerChoice[]> {
    const plex = await this.client();
    const { maxAgeMs = 0, timeoutMs } = options;
    const shared = this.shared;
    const reuse = shared !== null && shared.plex === plex && maxAgeMs > 0 && this.now() - shared.at <= maxAgeMs;
    const list = reuse ? shared.list : this.lookUp(plex, timeoutMs);
    try {
      return (await list).map(choiceOf).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError')
        throw new PlayNowError('unreachable', 503, `Plex did not answer within ${formatSeconds(timeoutMs ?? 0)}.`, null, { cause: err });
      throw reachProblem(err) ?? this.other(err, 'Plex would not list its players');
    }
  }

  /** Asks Plex for its players; the answer (not a failure) is what the next few seconds' pickers share. */
  private lookUp(plex: PlayNowPlex, timeoutMs?: number): Promise<PlexPlayer[]> {
    const list = plex.players(timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs));
    const entry: SharedList = { plex, at: this.now(), list };
    this.shared = entry;
    list.catch(() => {
      if (this.shared === entry) this.shared = null;
    });
    return list;
  }

  async play(playerId: string, target: PlayTarget): Promise<PlayResult> {
    const plex = await this.client();
    const field = targetField(target);
    let player: PlexPlayer | undefined;
    try {
      player = (await this.lookUp(plex)).find((p) => p.machineIdentifier === playerId);
    } catch (err) {
      throw reachProblem(err) ?? this.other(err, 'Plex would not list its players');
    }
    if (!player)
      throw new PlayNowError(
        'player-gone',
        404,
        'That player is not available any more: it is off, asleep, or no longer connected to Plex. Open Plex on it, or choose another player.',
        'player',
      );

    let queue: PlexPlayQueue;
    try {
      queue = await plex.createPlayQueue(sourceOf(target));
    } catch (err) {
      if (err instanceof PlexUsageError) throw new PlayNowError('bad-request', 400, err.message.replace(/^plex: /, ''), field);
      // Plex answers 404 for an unknown playlist and 400 for items it does not have (our request is well-formed).
      if (err instanceof PlexNotFoundError || (err instanceof PlexHttpError && err.status === 400))
        throw new PlayNowError('not-found', 404, `Plex has no ${describe(target)} with that key (or nothing in it to play).`, field, {
          cause: err,
        });
      throw reachProblem(err) ?? this.other(err, 'Plex refused to create the play queue');
    }

    try {
      await plex.playMedia(player.machineIdentifier, queue);
    } catch (err) {
      // Plex says "Unable to find player" with a 500 (or 404) when it cannot reach the player: whether the
      // player is still listed tells a player that went away from one that refused.
      if (err instanceof PlexHttpError && !(await this.stillListed(plex, player.machineIdentifier)))
        throw new PlayNowError(
          'player-gone',
          409,
          `${player.name} went away before it could start playing (Plex no longer reaches it). Open Plex on it, or choose another player.`,
          'player',
          { cause: err },
        );
      throw reachProblem(err) ?? this.other(err, `${player.name} refused to play`);
    }
    return { player: choiceOf(player), playQueueID: queue.playQueueID, first: queue.selectedKey, size: queue.size };
  }

  private async stillListed(plex: PlayNowPlex, id: string): Promise<boolean> {
    try {
      return (await this.lookUp(plex)).some((p) => p.machineIdentifier === id);
    } catch {
      return false;
    }
  }

  private async client(): Promise<PlayNowPlex> {
    const plex = await this.plex();
    if (!plex) throw new PlayNowError('no-plex', 503, 'Playing needs a Plex connection: set PLEX_URL and PLEX_TOKEN (Setup).');
    return plex;
  }

  private other(err: unknown, what: string): PlayNowError | unknown {
    if (err instanceof PlexHttpError)
      return new PlayNowError('refused', 502, `${what} (Plex answered ${err.status}).`, null, { cause: err });
    if (err instanceof PlexError)
      return new PlayNowError('refused', 502, `${what}: ${err.message.replace(/^plex: /, '')}`, null, { cause: err });
    return err;
  }
}

const formatSeconds = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`);

function describe(target: PlayTarget): string {
  return 'ratingKeys' in target ? 'track' : 'playlistRatingKey' in target ? 'playlist' : 'album';
}
