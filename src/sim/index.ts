// Public entry of the Plex simulator. Nothing here imports from the rest of src/: the simulator is an
// independent stand-in written from PLEX-API.md, so it cannot share (and hide) the client's mistakes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateLibrary as generate, addExtraSections, type ExtraSectionSpec } from './generate.js';
import { loadLibraryFile, saveLibraryFile, type SimLibrary } from './library.js';
import { DEFAULT_CONFIG, type SimConfig, type FaultMode } from './config.js';
import { SimStats } from './stats.js';
import { SimState } from './state/state.js';
import { PlaylistStore } from './state/playlists.js';
import { QueryCache } from './query/filters.js';
import { WebhookEmitter, type SimLogger } from './webhooks/emitter.js';
import { FaultInjector } from './http/faults.js';
import { createSimApp } from './app.js';
import { PlayQueueStore } from './state/play-queues.js';
import { PlayerRegistry, DEFAULT_PLAYERS, type SimPlayerSpec, type NowPlaying, type PlaybackCommand } from './state/players.js';

export type { SimLibrary, SimTrack } from './library.js';
export type { SimConfig, FaultMode } from './config.js';
export type { ExtraSectionSpec } from './generate.js';
export { SimState, OWNER_ACCOUNT_ID } from './state/state.js';
export { SimStats } from './stats.js';
export type { SimPlayerSpec, NowPlaying, PlaybackCommand } from './state/players.js';

export interface SimOptions {
  host?: string;
  /** 0 = a random free port. */
  port?: number;
  /** Default 'sim-token'. */
  token?: string;
  tracks?: number;
  seed?: number;
  libraryFile?: string;
  latencyMs?: number;
  faultRate?: number;
  faultMode?: FaultMode;
  webhookUrls?: string[];
  /** Default true. */
  roundRatings?: boolean;
  /** Default true. */
  bulkRatingEdits?: boolean;
  /** Default true. */
  echoWebhooks?: boolean;
  /** Default false. */
  ratingAsString?: boolean;
  machineIdentifier?: string;
  /** When the generated listening history ends (epoch seconds); default mid-2025, the library's end. */
  listeningEndsAt?: number;
  /** Default 'Music'. */
  musicSectionTitle?: string;
  /**
   * Further music sections (ids 2, 3, … after those a library file holds), each generated with its own
   * artists, albums and tracks and ratingKeys no other section uses. Default none.
   */
  extraMusicSections?: ExtraSectionSpec[];
  /** The players the server knows (`GET /clients`); default a Plexamp "Living Room" and an Android phone "Kitchen". */
  players?: SimPlayerSpec[];
  /** Default true: `/library/metadata/{key}/nearest` answers (see SimConfig.sonicAnalysis). */
  sonicAnalysis?: boolean;
  /** Any other switch of SimConfig (clearedRating, libraryNewLevel, faultPhase, …). */
  config?: Partial<SimConfig>;
  /** Where delivery failures and internal errors go; default console.warn. */
  log?: SimLogger;
}

export interface RunningSimulator {
  /** http://127.0.0.1:port */
  url: string;
  token: string;
  machineIdentifier: string;
  /** The first music section. */
  musicSectionId: number;
  /** Every music section, the first one first. */
  sections: Array<{ id: number; title: string }>;
  state: SimState;
  /** Live switches (same object `/__sim/config` changes). */
  config: SimConfig;
  stats: SimStats;
  webhooks: { add(url: string): void; remove(url: string): boolean; urls(): string[]; idle(): Promise<void> };
  players: {
    /** Every player, online or not, with what it is playing (the same as `GET /__sim/now-playing`). */
    nowPlaying(): NowPlaying;
    /** Resolves with the next playback command that reaches the server, whatever its outcome. */
    nextCommand(): Promise<PlaybackCommand>;
    /** Takes a player offline / back online, or makes it refuse commands (as `POST /__sim/players`). */
    set(machineIdentifier: string, change: { online?: boolean; refuse?: boolean }): void;
  };
  save(path: string): void;
  close(): Promise<void>;
}

export const DEFAULT_SIM_TRACKS = 5000;

export function generateLibrary(opts: { tracks: number; seed: number }): SimLibrary {
  return generate(opts);
}

export async function startSimulator(opts: SimOptions = {}): Promise<RunningSimulator> {
  const library = opts.libraryFile
    ? loadLibraryFile(opts.libraryFile)
    : generate({
        tracks: opts.tracks ?? DEFAULT_SIM_TRACKS,
        seed: opts.seed ?? 1,
        machineIdentifier: opts.machineIdentifier,
        listeningEndsAt: opts.listeningEndsAt,
      });
  if (opts.machineIdentifier) library.machineIdentifier = opts.machineIdentifier;
  if (opts.musicSectionTitle) library.section.title = opts.musicSectionTitle;
  if (opts.extraMusicSections) addExtraSections(library, opts.extraMusicSections, opts.listeningEndsAt);

  const config: SimConfig = { ...DEFAULT_CONFIG, ...opts.config };
  if (opts.latencyMs !== undefined) config.latencyMs = opts.latencyMs;
  if (opts.faultRate !== undefined) config.faultRate = opts.faultRate;
  if (opts.faultMode !== undefined) config.faultMode = opts.faultMode;
  if (opts.roundRatings !== undefined) config.roundRatings = opts.roundRatings;
  if (opts.bulkRatingEdits !== undefined) config.bulkRatingEdits = opts.bulkRatingEdits;
  if (opts.echoWebhooks !== undefined) config.echoWebhooks = opts.echoWebhooks;
  if (opts.ratingAsString !== undefined) config.ratingAsString = opts.ratingAsString;
  if (opts.sonicAnalysis !== undefined) config.sonicAnalysis = opts.sonicAnalysis;

  const log = opts.log ?? ((message: string) => console.warn(message));
  const token = opts.token ?? 'sim-token';
  const stats = new SimStats();
  const state = new SimState(library, config, stats);
  const webhooks = new WebhookEmitter(state, stats, log);
  for (const url of opts.webhookUrls ?? []) webhooks.add(url);
  const faults = new FaultInjector(config, stats, library.seed);
  const queries = new QueryCache();
  const playQueues = new PlayQueueStore(state);
  const players = new PlayerRegistry(state, playQueues, stats, opts.players ?? DEFAULT_PLAYERS);
  const playlists = new PlaylistStore(state, queries);
  const app = createSimApp({ state, config, stats, webhooks, playlists, queries, playQueues, players, token, log }, faults);

  const server = http.createServer(app.callback());
  server.keepAliveTimeout = 65_000; // Plex keeps connections open; clients should be able to reuse them
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    token,
    machineIdentifier: library.machineIdentifier,
    musicSectionId: library.section.id,
    sections: state.sections.map((s) => ({ id: s.id, title: s.title })),
    state,
    config,
    stats,
    webhooks: { add: (u) => webhooks.add(u), remove: (u) => webhooks.remove(u), urls: () => webhooks.urls(), idle: () => webhooks.idle() },
    players: {
      nowPlaying: () => players.nowPlaying(),
      nextCommand: () => players.nextCommand(),
      set: (id, change) => {
        if (!players.set(id, change)) throw new RangeError(`sim: no player ${id}`);
      },
    },
    save: (path) => saveLibraryFile(path, library),
    close: () =>
      new Promise<void>((resolve) => {
        webhooks.close();
        faults.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
