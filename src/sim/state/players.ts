// The players the simulated server knows (Plexamp on a living-room box, a phone in the kitchen), what each
// is playing, and the playback commands sent to them through the server. A player can be taken offline
// (the server stops listing it and cannot reach it) or made to refuse commands, to test both failures.
import { createHash } from 'node:crypto';
import type { SimState } from './state.js';
import type { PlayQueueStore } from './play-queues.js';
import type { SimStats } from '../stats.js';

export interface SimPlayerSpec {
  name: string;
  /** What `/clients` shows as `product` (Plexamp, Plex for Android (Mobile), …). */
  product: string;
  /** Derived from the server's identifier and the name when absent, so it is the same on every run. */
  machineIdentifier?: string;
  /** Default 127.0.0.1: nothing answers there, so a client that skips the server fails fast. */
  host?: string;
  /** Default 32500, the port Plex players listen on. */
  port?: number;
  deviceClass?: string;
  platform?: string;
  version?: string;
  /** Default 'timeline,playback,playqueues'. */
  protocolCapabilities?: string;
  /** Default true. */
  online?: boolean;
  /** Default false. */
  refuse?: boolean;
}

export const DEFAULT_PLAYERS: readonly SimPlayerSpec[] = [
  {
    name: 'Living Room',
    product: 'Plexamp',
    deviceClass: 'pc',
    platform: 'Linux',
    version: '4.12.4',
    protocolCapabilities: 'timeline,playback,playqueues,playqueues-creation',
  },
  {
    name: 'Kitchen',
    product: 'Plex for Android (Mobile)',
    deviceClass: 'phone',
    platform: 'Android',
    version: '10.26.0.2578',
    port: 32501,
    protocolCapabilities: 'timeline,playback,navigation,mirror,playqueues',
  },
];

export type PlayerState = 'playing' | 'paused' | 'stopped';
export type CommandOutcome = 'accepted' | 'refused' | 'unreachable' | 'unknown';

export interface SimPlayer {
  name: string;
  product: string;
  machineIdentifier: string;
  host: string;
  port: number;
  deviceClass: string;
  platform: string;
  version: string;
  protocolCapabilities: string;
  online: boolean;
  refuse: boolean;
  state: PlayerState;
  playQueueID: number | null;
  /** Position in the current track when playback started there, ms. */
  offsetMs: number;
  /** Commands this player carried out. */
  commands: number;
  /** Commands it refused or could not be reached for. */
  rejected: number;
  /** Epoch ms of the last playMedia it carried out. */
  startedAt: number | null;
}

/** One playback command as it reached the server, whatever came of it. */
export interface PlaybackCommand {
  /** 1, 2, 3 … over the server's life: the order commands arrived in. */
  seq: number;
  target: string;
  command: string;
  outcome: CommandOutcome;
  playQueueID: number | null;
  ratingKey: string | null;
  at: number;
}

export interface NowPlayingTrack {
  ratingKey: string;
  title: string;
  artist: string;
  album: string;
}

export interface NowPlayingEntry {
  machineIdentifier: string;
  name: string;
  product: string;
  online: boolean;
  refuse: boolean;
  state: PlayerState;
  playQueueID: number | null;
  track: NowPlayingTrack | null;
  queueLength: number;
  offsetMs: number;
  commands: number;
  rejected: number;
  startedAt: number | null;
}

export interface NowPlaying {
  /** Every command that reached the server so far (grows by one per command, whatever its outcome). */
  commands: number;
  players: NowPlayingEntry[];
}

function playerIdentifier(serverId: string, name: string): string {
  const hex = createHash('sha1').update(`sagewire-sim-player:${serverId}:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

export class PlayerRegistry {
  private readonly players: SimPlayer[];
  private seq = 0;
  private waiters: ((c: PlaybackCommand) => void)[] = [];

  constructor(
    private readonly state: SimState,
    private readonly queues: PlayQueueStore,
    private readonly stats: SimStats,
    specs: readonly SimPlayerSpec[] = DEFAULT_PLAYERS,
  ) {
    this.players = specs.map((spec) => ({
      name: spec.name,
      product: spec.product,
      machineIdentifier: spec.machineIdentifier ?? playerIdentifier(state.machineIdentifier, spec.name),
      host: spec.host ?? '127.0.0.1',
      port: spec.port ?? 32500,
      deviceClass: spec.deviceClass ?? 'pc',
      platform: spec.platform ?? 'Linux',
      version: spec.version ?? '1.0.0',
      protocolCapabilities: spec.protocolCapabilities ?? 'timeline,playback,playqueues',
      online: spec.online ?? true,
      refuse: spec.refuse ?? false,
      state: 'stopped',
      playQueueID: null,
      offsetMs: 0,
      commands: 0,
      rejected: 0,
      startedAt: null,
    }));
    const ids = new Set(this.players.map((p) => p.machineIdentifier));
    if (ids.size !== this.players.length) throw new Error('sim: two players share a name or machineIdentifier');
  }

  all(): readonly SimPlayer[] {
    return this.players;
  }

  /** What `/clients` lists: the players connected to the server now. */
  online(): SimPlayer[] {
    return this.players.filter((p) => p.online);
  }

  find(machineIdentifier: string): SimPlayer | undefined {
    return this.players.find((p) => p.machineIdentifier === machineIdentifier);
  }

  /** Takes a player offline (it drops out of `/clients` and stops) or back, or makes it refuse commands. */
  set(machineIdentifier: string, change: { online?: boolean; refuse?: boolean }): SimPlayer | undefined {
    const player = this.find(machineIdentifier);
    if (!player) return undefined;
    if (change.online !== undefined) {
      player.online = change.online;
      if (!change.online) player.state = 'stopped';
    }
    if (change.refuse !== undefined) player.refuse = change.refuse;
    return player;
  }

  /**
   * Sends a command to a player. The outcome says whether the player took it; the caller turns a failure
   * into the answer real Plex gives. `apply` runs only when the player accepts.
   */
  command(
    target: string,
    command: string,
    refs: { playQueueID: number | null; ratingKey: string | null },
    apply: (player: SimPlayer) => void,
  ): CommandOutcome {
    const player = this.find(target);
    const outcome: CommandOutcome = !player ? 'unknown' : !player.online ? 'unreachable' : player.refuse ? 'refused' : 'accepted';
    if (player && outcome === 'accepted') {
      apply(player);
      player.commands++;
    } else if (player) {
      player.rejected++;
    }
    this.stats.playback[outcome] = (this.stats.playback[outcome] ?? 0) + 1;
    const record: PlaybackCommand = { seq: ++this.seq, target, command, outcome, ...refs, at: Date.now() };
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve(record);
    return outcome;
  }

  /** Resolves with the next command that reaches the server (of any outcome). */
  nextCommand(): Promise<PlaybackCommand> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves once more than `after` commands have reached the server. */
  async commandsAfter(after: number): Promise<void> {
    while (this.seq <= after) await this.nextCommand();
  }

  get commandCount(): number {
    return this.seq;
  }

  nowPlaying(): NowPlaying {
    return {
      commands: this.seq,
      players: this.players.map((p) => {
        const queue = p.playQueueID === null ? undefined : this.queues.get(p.playQueueID);
        const entry = queue?.items[queue.selected];
        const track = entry ? this.state.track(entry.ratingKey) : undefined;
        let current: NowPlayingTrack | null = null;
        if (track) {
          const album = this.state.albumOf(track);
          const artist = this.state.artistOf(album);
          current = { ratingKey: track.ratingKey, title: track.title, artist: track.originalTitle ?? artist.title, album: album.title };
        }
        return {
          machineIdentifier: p.machineIdentifier,
          name: p.name,
          product: p.product,
          online: p.online,
          refuse: p.refuse,
          state: p.state,
          playQueueID: p.playQueueID,
          track: current,
          queueLength: queue?.items.length ?? 0,
          offsetMs: p.offsetMs,
          commands: p.commands,
          rejected: p.rejected,
          startedAt: p.startedAt,
        };
      }),
    };
  }
}
