// The playlist pages' services over what app.ts built (the settings, Plex for saving, playlists and art,
// the pipeline runtime): background generations, track search and history. Errors a person must fix are
// worded with the setting to change.
import type { Kysely } from 'kysely';
import { addEarlierCalls, getGeneration, listGenerations, type GenerationRow } from '../../db/playlist-history-repo.js';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/schema.js';
import type { FilterSpec } from '../../domain/playlist/index.js';
import { PlexError } from '../../plex/index.js';
import type { CallUsage } from '../../playlists/call-ledger.js';
import {
  ModelRejectedError,
  ProviderError,
  RequestError,
  SaveError,
  type GenerateInput,
  type GenerationResult,
  type PlaylistRuntime,
  type ResultTrack,
} from '../../playlists/index.js';
import { modelSetting } from '../../playlists/providers/errors.js';
import { JobRunner, type JobSnapshot } from '../jobs.js';
import { PROVIDER_LABELS, modelSettingName, type ModelProvider, type PlaylistSettings } from './playlist-llm-settings.js';
import type { PlaylistPlex } from './playlist-plex.js';
import { TrackSearch } from './playlist-search.js';
import { SmartPlaylists } from './smart-playlists.js';

export interface HistoryEntry {
  id: number;
  createdAt: number;
  kind: 'prompt' | 'seed';
  status: 'done' | 'failed';
  error: string | null;
  request: GenerateInput;
  filters: FilterSpec;
  provider: string;
  model: string;
  calls: CallUsage[];
  inputTokens: number;
  outputTokens: number;
  cost: number | null;
  title: string;
  description: string;
  tracks: ResultTrack[];
  warnings: string[];
  stats: { matching?: number; sent?: number; filled?: number } | null;
  saved: { ratingKey: string; title: string; mode: string; at: number } | null;
}

export function historyEntry(row: GenerationRow): HistoryEntry {
  const result = row.result
    ? (JSON.parse(row.result) as { tracks: ResultTrack[]; stats?: HistoryEntry['stats']; warnings?: string[] })
    : null;
  return {
    id: row.id,
    createdAt: row.created_at,
    kind: row.kind,
    status: row.status,
    error: row.error,
    request: JSON.parse(row.request) as GenerateInput,
    filters: JSON.parse(row.filters) as FilterSpec,
    provider: row.provider,
    model: row.model,
    calls: JSON.parse(row.calls) as CallUsage[],
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cost: row.cost,
    title: row.title ?? '',
    description: row.description ?? '',
    tracks: result?.tracks ?? [],
    warnings: result?.warnings ?? [],
    stats: result?.stats ?? null,
    saved: row.playlist_rating_key
      ? { ratingKey: row.playlist_rating_key, title: row.playlist_title ?? '', mode: row.saved_mode ?? 'create', at: row.saved_at ?? 0 }
      : null,
  };
}

/** What went wrong, worded for the page: the setting to change when it is a configuration problem. */
export function describePlaylistError(err: unknown): string {
  if (err instanceof ModelRejectedError) {
    const role = modelSetting(err.role) === 'LLM_MODEL_ANALYSIS' ? 'analysis' : 'generation';
    const setting = err.provider === 'offline' ? modelSetting(err.role) : modelSettingName(err.provider as ModelProvider, role);
    return (
      `${PROVIDER_LABELS[err.provider]} rejected the model "${err.model}". ` +
      `Change “${role === 'analysis' ? 'Analysis' : 'Generation'} model” for ${PROVIDER_LABELS[err.provider]} ` +
      `in Settings → Playlists (${setting}).`
    );
  }
  if (err instanceof ProviderError || err instanceof RequestError || err instanceof SaveError || err instanceof PlexError)
    return err.message.replace(/^playlists: /, '');
  return 'The generation failed unexpectedly; the log has the details.';
}

/** A generation job's result: the history entry it recorded. */
export interface GenerationRef {
  generationId: number;
}

export interface PlaylistUi {
  settings: PlaylistSettings;
  plex: PlaylistPlex;
  runtime: PlaylistRuntime;
  /** Generations in the background, side by side; the page polls one until the review opens. */
  jobs: JobRunner<GenerationRef>;
  /** Starts a generation; `after` runs once it is recorded (the page adds its earlier analysis call). */
  generate(input: GenerateInput, label: string, after?: (result: GenerationResult) => Promise<void>): JobSnapshot<GenerationRef>;
  search(): TrackSearch;
  history(limit?: number): Promise<HistoryEntry[]>;
  entry(id: number): Promise<HistoryEntry | null>;
  vocabulary(): ReturnType<PlaylistRuntime['wiring']['vocabulary']['get']>;
  /** The suggestion step's calls, kept here under an id the form carries, so the generation that follows
   *  records them too (the browser never reports usage). */
  keepSuggestion(calls: CallUsage[]): string;
  /** Adds the kept suggestion's calls to a recorded generation (once). */
  addSuggestion(suggestionId: string | null, generationId: number): Promise<void>;
  /** The rating-driven Plex smart playlists. */
  smart: SmartPlaylists;
}

export function playlistUi(options: {
  db: Kysely<Database>;
  settings: PlaylistSettings;
  plex: PlaylistPlex;
  runtime: PlaylistRuntime;
  log: (err: unknown) => void;
}): PlaylistUi {
  const { settings, plex, runtime } = options;
  const jobs = new JobRunner<GenerationRef>({
    concurrency: 'many',
    describeError: (err) => {
      if (!(err instanceof ProviderError || err instanceof RequestError || err instanceof SaveError || err instanceof PlexError))
        options.log(err);
      return describePlaylistError(err);
    },
  });
  let search: { index: object; search: TrackSearch } | null = null;
  const suggestions = new Map<string, CallUsage[]>();
  return {
    settings,
    plex,
    runtime,
    jobs,
    generate(input, label, after) {
      return jobs.start('generation', label, async () => {
        const result = await runtime.generate(input);
        await after?.(result);
        return { result: { generationId: result.id } };
      });
    },
    search() {
      const index = runtime.wiring.poolIndex.current();
      if (search?.index !== index) search = { index, search: new TrackSearch(index) };
      return search.search;
    },
    history: async (limit = 50) => (await listGenerations(options.db, limit)).map(historyEntry),
    async entry(id) {
      const row = await getGeneration(options.db, id);
      return row ? historyEntry(row) : null;
    },
    vocabulary: () => runtime.wiring.vocabulary.get(),
    smart: new SmartPlaylists({ db: options.db, plex, count: (filters) => runtime.count(filters) }),
    keepSuggestion(calls) {
      if (suggestions.size > 500) suggestions.clear();
      const id = randomBytes(12).toString('base64url');
      suggestions.set(id, calls);
      return id;
    },
    async addSuggestion(suggestionId, generationId) {
      const calls = suggestionId ? suggestions.get(suggestionId) : undefined;
      if (!calls) return;
      suggestions.delete(suggestionId!);
      await addEarlierCalls(options.db, generationId, calls);
    },
  };
}
