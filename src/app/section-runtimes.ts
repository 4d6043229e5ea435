// The music sections `serve` looks after besides the main one (PLEX_MUSIC_LIBRARY naming several): each has
// its state database (src/app/sections.ts), its live propagation and its pages, over the sign-in and the
// settings of the main database. app.ts keeps them in step with the settings (a section added on the Setup
// page starts at once, one removed stops), routes each received webhook to its section's inbox, and lets
// the pages of the section a person chose answer their requests.
import type Koa from 'koa';
import type SQLite from 'better-sqlite3';
import type { Config } from '../config.js';
import { openDatabase, type DatabaseHandle } from '../db/connection.js';
import type { SpooledRow } from '../db/inbox-spool.js';
import { getSetting, putSetting } from '../db/settings-repo.js';
import type { Logger } from '../log.js';
import { Notifier } from '../notify/notifier.js';
import type { StatusSources } from '../web/read-models/status.js';
import { viewOfLiveModel } from '../web/read-models/ui-model.js';
import type { EngineAccess } from '../web/services/ratings.js';
import { MORE_SECTIONS_SETTING } from '../webhooks/context.js';
import { readStoredPayload } from '../webhooks/stored-payload.js';
import { ratingParams } from './engine.js';
import { LiveRuntime, type LiveRuntimeOptions } from './live-runtime.js';
import { parseSectionFiles, placeSections, SECTION_FILES_SETTING, type PlacedSection } from './sections.js';
import type { AdminOptions, AdminUi, SharedAdmin } from './web.js';

/** What the pages of one section read live propagation through. */
export function engineAccessOf(
  database: DatabaseHandle,
  runtime: () => LiveRuntime | null,
  config: Config,
  section: () => string,
): { statusSources: StatusSources; engine: EngineAccess } {
  const live = () => runtime()?.engine ?? null;
  return {
    statusSources: {
      musicLibrary: section,
      ownership: async () => live()?.ownership() ?? null,
      live: async () => {
        const engine = live();
        return engine ? { ...engine.status() } : null;
      },
    },
    engine: {
      sqlite: database.sqlite,
      deps: () => live()?.deps ?? null,
      params: () => live()?.deps?.params ?? ratingParams(runtime()?.config ?? config),
      wakeWorker: () => live()?.wake(),
      liveModel: () => {
        const engine = live()?.engine;
        return engine ? viewOfLiveModel(engine.viewModel()) : null;
      },
    },
  };
}

/** Runs routers' middleware in order, as Koa would if they were registered on the app. */
export function composeRouters(routers: AdminUi['routers']): Koa.Middleware {
  const chain = routers.flatMap((r) => [r.routes(), r.allowedMethods()]) as Koa.Middleware[];
  return (ctx, next) => {
    const step = (i: number): Promise<void> => (i === chain.length ? next() : Promise.resolve(chain[i](ctx, () => step(i + 1))));
    return step(0);
  };
}

export interface ExtraSection {
  readonly name: string;
  readonly database: DatabaseHandle;
  readonly runtime: LiveRuntime;
  readonly admin: AdminUi;
  readonly handle: Koa.Middleware;
  /** This section's events, to the channels the main database configures. */
  readonly notifier: Notifier;
}

export interface SectionRuntimesOptions {
  config: Config;
  logger: Logger;
  main: DatabaseHandle;
  shared: SharedAdmin;
  busyTimeoutMs: number;
  busyRetryMs: number;
  live: Omit<LiveRuntimeOptions, 'database' | 'logger' | 'connection' | 'plex'>;
  buildAdminUi(options: AdminOptions): Promise<AdminUi>;
  adminOptions: Pick<AdminOptions, 'version' | 'webhookSecret'>;
}

export class SectionRuntimes {
  private readonly extras = new Map<string, ExtraSection>();
  private started = false;
  /** The section the main database's state is of, as placed last. */
  mainName: string;

  constructor(private readonly options: SectionRuntimesOptions) {
    this.mainName = options.config.plex.musicLibrary;
  }

  /** Every section looked after, the main one first. */
  names(): string[] {
    return [this.mainName, ...[...this.extras.values()].map((e) => e.name)];
  }

  list(): ExtraSection[] {
    return [...this.extras.values()];
  }

  extra(name: string): ExtraSection | undefined {
    return [...this.extras.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  /**
   * Places the sections `names` chooses and brings the extra ones in step: new ones open (and start, once
   * serving), kept ones take `config`, dropped ones stop. Returns the main section's name.
   */
  async reconcile(names: readonly string[], config: Config): Promise<string> {
    const { main, config: start } = this.options;
    const recorded = parseSectionFiles(await getSetting(main.db, SECTION_FILES_SETTING));
    const { sections, files } = placeSections(start.dbPath, names.length > 0 ? names : [start.plex.musicLibrary], recorded);
    if (JSON.stringify(files) !== JSON.stringify(recorded)) await putSetting(main.db, SECTION_FILES_SETTING, JSON.stringify(files));
    this.mainName = sections.find((s) => s.main)!.name;
    const wanted = new Map(sections.filter((s) => !s.main).map((s) => [s.dbPath, s]));
    for (const [path, extra] of this.extras) {
      if (!wanted.has(path)) {
        this.extras.delete(path);
        await this.close(extra);
        this.options.logger.info({ section: extra.name }, 'serve: music section no longer chosen; its live propagation stopped');
      }
    }
    for (const [path, placed] of wanted) {
      const extra = this.extras.get(path) ?? (await this.open(placed));
      this.extras.set(path, extra);
      await extra.runtime.apply(config);
    }
    await this.recordSectionIds();
    return this.mainName;
  }

  start(): void {
    this.started = true;
    for (const extra of this.extras.values()) this.begin(extra);
  }

  /** The database whose inbox a received event belongs in: its section's, else the main one. */
  route(row: SpooledRow): SQLite.Database {
    if (this.extras.size > 0) {
      const section = sectionIdOf(row.payload);
      if (section !== null)
        for (const extra of this.extras.values()) if (extra.runtime.engine?.section?.key === section) return extra.database.sqlite;
    }
    return this.options.main.sqlite;
  }

  wake(): void {
    for (const extra of this.extras.values()) extra.runtime.engine?.wake();
  }

  async stop(): Promise<void> {
    for (const extra of this.extras.values()) await this.close(extra);
    this.extras.clear();
  }

  private async open(placed: PlacedSection): Promise<ExtraSection> {
    const { config, logger, busyTimeoutMs, busyRetryMs, shared, adminOptions } = this.options;
    const database = await openDatabase(placed.dbPath, { busyTimeoutMs, busyRetryMs });
    const name = placed.name;
    let runtime: LiveRuntime | null = null;
    const access = engineAccessOf(
      database,
      () => runtime,
      config,
      () => name,
    );
    const admin = await this.options.buildAdminUi({
      ...adminOptions,
      db: database.db,
      config,
      logger,
      ...access,
      playlists: { sqlite: database.sqlite },
      shared,
    });
    runtime = new LiveRuntime(config, {
      ...this.options.live,
      database,
      logger,
      // This section's name in place of the first one chosen.
      connection: async () => {
        const connection = await shared.settings.plexConnection();
        return connection ? { ...connection, musicLibrary: name } : null;
      },
    });
    await runtime.init();
    const notifier = new Notifier({ db: database.db, settingsDb: this.options.main.db, logger, section: () => name });
    const extra: ExtraSection = { name, database, runtime, admin, handle: composeRouters(admin.routers), notifier };
    runtime.onBuilt((engine) => void engine?.ready.then(() => this.recordSectionIds()));
    if (this.started) this.begin(extra);
    logger.info({ section: name, db: placed.dbPath }, 'serve: music section opened with a state database of its own');
    return extra;
  }

  private begin(extra: ExtraSection): void {
    extra.runtime.start();
    extra.notifier.start();
    void extra.runtime.engine?.ready.then(() => this.recordSectionIds());
    void extra.admin.schedules?.start(extra.runtime.engine?.ready);
  }

  private async close(extra: ExtraSection): Promise<void> {
    extra.admin.ratings?.jobs.cancel();
    await extra.admin.ratings?.jobs.settled();
    await extra.admin.schedules?.stop();
    await extra.admin.playlists?.jobs.settled();
    await extra.runtime.stop();
    await extra.notifier.stop();
    await extra.database.close();
  }

  /** Tells the receiver (through the main database) which other sections' webhooks to accept. */
  private async recordSectionIds(): Promise<void> {
    const ids = [...this.extras.values()].map((e) => e.runtime.engine?.section?.key).filter((id): id is string => !!id);
    const value = ids.join(',');
    if ((await getSetting(this.options.main.db, MORE_SECTIONS_SETTING)) !== value)
      await putSetting(this.options.main.db, MORE_SECTIONS_SETTING, value);
  }
}

/** The music section a stored webhook payload names (Metadata.librarySectionID), or null. */
function sectionIdOf(payload: unknown): string | null {
  try {
    const compact = readStoredPayload(payload as Parameters<typeof readStoredPayload>[0]);
    const id = (compact?.Metadata as { librarySectionID?: unknown } | undefined)?.librarySectionID;
    return id === undefined || id === null ? null : String(id);
  } catch {
    return null;
  }
}
