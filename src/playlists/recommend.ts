// Album recommendations (PLAYLISTS.md, "Beyond playlists"): prompt → at most two clarifying questions →
// one album with a pitch and two alternatives. Library mode: the filters admit tracks, the tracks are
// aggregated per album (album-pool.ts), the albums ranked by fit, rating and the familiarity asked for,
// the best sent as a compact numbered list; the model's picks are validated against what was sent and a
// short or wrong answer is filled from the ranked list (marked `filled`). Discovery mode: the model gets
// the library's taste profile and names albums; any the person owns (normalised artist + title) or was
// already shown is dropped, and one follow-up call asks for the rest. Discovery never touches Plex.
// Configuration errors stop the request; anything else a provider does wrong is recovered from.
import type { Kysely } from 'kysely';
import { recordRecommendation } from '../db/recommendation-repo.js';
import type { Database } from '../db/schema.js';
import { norm } from '../domain/rating/text-match.js';
import { analyseOffline, keyHash, resolveFilters, type AnalysisReply, type FilterSpec, type PriceTable } from '../domain/playlist/index.js';
import {
  acceptAlbumPicks,
  acceptDiscovery,
  albumKey,
  albumPickPrompt,
  answersText,
  clarifyPrompt,
  discoveryPrompt,
  fillAlbums,
  fitAlbums,
  offlinePitch,
  rankAlbums,
  type AlbumSummary,
  type ChosenAlbum,
  type ClarifyingQuestion,
  type DiscoverySuggestion,
  type Familiarity,
  type QuestionAnswer,
} from '../domain/recommend/index.js';
import { libraryProfile, matchingAlbums } from './album-pool.js';
import { CallLedger, ledgerColumns, type CallUsage } from './call-ledger.js';
import type { PoolQuery } from './pool-query.js';
import { ProviderError, isConfigError } from './providers/errors.js';
import { contextTokens, modelsFor, type LlmSettings } from './providers/factory.js';
import type { CallRole, PlaylistProvider, ProviderName } from './providers/provider.js';
import { RequestError, planFromFilters } from './request-plan.js';
import type { TokenEstimator } from './token-count.js';
import type { VocabularyCache } from './vocabulary-cache.js';

export type RecommendMode = 'library' | 'discovery';

export interface RecommendInput {
  prompt: string;
  mode: RecommendMode;
  familiarity: Familiarity;
  /** Hard filters on the library's tracks (library mode). */
  filters?: FilterSpec;
  /** Answers to the questions; given (even empty) → no questions are asked. */
  answers?: QuestionAnswer[];
  skipQuestions?: boolean;
  /** Albums already shown: library rating keys, or "Artist – Title". */
  exclude?: string[];
  provider?: ProviderName;
  model?: string;
  /** Seed for the variety term; default: from the request, so the same request ranks the same. */
  variety?: number;
}

export interface AlbumCard {
  /** Library mode only. */
  ratingKey: string | null;
  title: string;
  artist: string;
  year: number | null;
  pitch: string;
  inLibrary: boolean;
  /** Stars (0–5), library mode; null when unrated. */
  rating: number | null;
  plays: number | null;
  /** Epoch seconds; null when never played (or not in the library). */
  lastPlayedAt: number | null;
  thumb: string | null;
  tags: string[];
  /** Chosen from the ranked list because the model's picks ran short. */
  filled: boolean;
}

export interface Usage {
  calls: CallUsage[];
  totalCost: number | null;
}

export type Recommendation =
  | { kind: 'questions'; questions: ClarifyingQuestion[]; usage: Usage }
  | {
      kind: 'albums';
      id: number;
      mode: RecommendMode;
      primary: AlbumCard;
      alternatives: AlbumCard[];
      usage: Usage;
      warnings: string[];
      /** Library mode: albums the filters admit and albums sent to the model. */
      stats: { matching: number; sent: number };
    };

export interface RecommenderDeps {
  db: Kysely<Database>;
  pool: PoolQuery;
  vocabulary: VocabularyCache;
  tokens: TokenEstimator;
  defaultProvider: () => ProviderName;
  llmFor: (name: ProviderName) => LlmSettings;
  prices: () => PriceTable;
  providerFor: (name: ProviderName) => PlaylistProvider;
  /** Epoch milliseconds. */
  now?: () => number;
}

const COUNT = 3;
const MAX_SENT = 60;
/** Ranked albums kept: what is sent, and what a short answer is filled from. */
const RANKED = 200;

const stars = (points: number | null): number | null => (points === null ? null : Math.round((points / 2) * 10) / 10);

function tagsOf(a: AlbumSummary): string[] {
  return [...a.tags.styles, ...a.tags.moods, ...a.tags.genres].slice(0, 4);
}

function libraryCard(c: ChosenAlbum): AlbumCard {
  const a = c.album;
  return {
    ratingKey: a.ratingKey,
    title: a.title,
    artist: a.artist,
    year: a.year,
    pitch: c.pitch,
    inLibrary: true,
    rating: stars(a.rating),
    plays: a.plays,
    lastPlayedAt: a.lastPlayed > 0 ? a.lastPlayed : null,
    thumb: a.thumb,
    tags: tagsOf(a),
    filled: c.filled,
  };
}

function discoveryCard(s: DiscoverySuggestion): AlbumCard {
  return {
    ratingKey: null,
    title: s.title,
    artist: s.artist,
    year: s.year,
    pitch: s.pitch,
    inLibrary: false,
    rating: null,
    plays: null,
    lastPlayedAt: null,
    thumb: null,
    tags: [],
    filled: false,
  };
}

/** "Artist – Title" (en dash, hyphen or " by ") → the normalised album key; null when it is not a name. */
function nameKey(text: string): string | null {
  const dash = /\s+[–—-]\s+/.exec(text);
  if (dash) return albumKey(text.slice(0, dash.index), text.slice(dash.index + dash[0].length));
  const by = /^(.+)\s+by\s+(.+)$/i.exec(text);
  return by ? albumKey(by[2], by[1]) : null;
}

export class AlbumRecommender {
  constructor(private readonly deps: RecommenderDeps) {}

  async recommend(input: RecommendInput): Promise<Recommendation> {
    const name = input.provider ?? this.deps.defaultProvider();
    if (input.mode === 'discovery' && name === 'offline')
      throw new RequestError(
        'provider',
        'discovery needs a language model: choose OpenAI, Anthropic, Gemini or an OpenAI-compatible server',
      );
    const llm = this.deps.llmFor(name);
    const models = modelsFor(name, llm, input.model ?? null);
    const provider = this.deps.providerFor(name);
    const ledger = new CallLedger(this.deps.prices(), this.deps.tokens);
    const usage = (): Usage => ({ calls: ledger.calls, totalCost: ledger.totalCost });
    const warnings: string[] = [];

    const { vocabulary, artists } = await this.deps.vocabulary.get();
    const byNorm = new Map(artists.map((a) => [norm(a), a]));
    const knownArtists = (names: readonly string[]) => [
      ...new Set(names.map((n) => byNorm.get(norm(n))).filter((n): n is string => n !== undefined)),
    ];
    // The person's filters are taken as given: a value the library lacks is a 400 naming the field.
    const filters = input.filters
      ? planFromFilters(input.filters, {
          vocabulary,
          knownArtists,
          artistTags: (n) => this.deps.pool.artistTags(n),
          count: (f) => this.deps.pool.count(f),
          variety: 0,
        }).filters
      : {};

    if (input.answers === undefined && !input.skipQuestions) {
      const questions = await this.safely(ledger, 'clarify', name, models.analysis, warnings, () =>
        provider.clarify(clarifyPrompt(input.prompt, input.mode), models.analysis),
      );
      if (questions && questions.length > 0) return { kind: 'questions', questions, usage: usage() };
    }

    const answers = input.answers ?? [];
    const model = models.generation;
    const request = [input.prompt, answersText(answers)].filter(Boolean).join('\n');
    let outcome: { cards: AlbumCard[]; stats: { matching: number; sent: number } };
    try {
      outcome =
        input.mode === 'library'
          ? await this.library(input, {
              name,
              provider,
              models,
              ledger,
              warnings,
              filters,
              vocabulary,
              artists,
              knownArtists,
              request,
              answers,
              llm,
            })
          : await this.discovery(input, { name, provider, model, ledger, warnings, answers });
    } catch (err) {
      await this.record(input, name, model, ledger, { status: 'failed', error: (err as Error).message });
      throw err;
    }
    const id = await this.record(input, name, model, ledger, { status: 'done', cards: outcome.cards, warnings });
    const [primary, ...alternatives] = outcome.cards;
    return { kind: 'albums', id, mode: input.mode, primary, alternatives, usage: usage(), warnings, stats: outcome.stats };
  }

  private async library(
    input: RecommendInput,
    ctx: {
      name: ProviderName;
      provider: PlaylistProvider;
      models: { analysis: string; generation: string };
      ledger: CallLedger;
      warnings: string[];
      filters: FilterSpec;
      vocabulary: Awaited<ReturnType<VocabularyCache['get']>>['vocabulary'];
      artists: string[];
      knownArtists: (names: readonly string[]) => string[];
      request: string;
      answers: QuestionAnswer[];
      llm: LlmSettings;
    },
  ) {
    const { name, provider, models, ledger, warnings } = ctx;
    // The prompt's analysis is a preference here, not a filter: an album is whole, and a mood on half its
    // tracks still makes it a candidate.
    const analysed =
      (await this.safely(ledger, 'analysis', name, models.analysis, warnings, () =>
        provider.analyse({ request: ctx.request, vocabulary: ctx.vocabulary, artistNames: ctx.artists, model: models.analysis }),
      )) ?? analyseOffline(ctx.request, ctx.vocabulary, ctx.artists);
    const wants = this.wantsOf(analysed, ctx);
    const now = this.now() / 1000;
    const albums = matchingAlbums(this.deps.pool, ctx.filters, wants);
    if (albums.length === 0) throw new RequestError('filters', 'no album in your library has a track that matches the filters');

    const excluded = new Set<string>();
    const byName = new Map(albums.map((a) => [albumKey(a.artist, a.title), a.ratingKey]));
    for (const e of input.exclude ?? []) {
      if (/^\d{1,12}$/.test(e.trim())) excluded.add(e.trim());
      else {
        const key = nameKey(e);
        const hit = key ? byName.get(key) : undefined;
        if (hit) excluded.add(hit);
      }
    }
    const seed = input.variety ?? keyHash(`${ctx.request}\u0000${input.familiarity}`);
    const ranked = rankAlbums(
      albums.filter((a) => !excluded.has(a.ratingKey)),
      { familiarity: input.familiarity, now, decades: analysed.decades, seed },
      RANKED,
    ).map((r) => r.album);
    if (ranked.length === 0) throw new RequestError('exclude', 'every album that matches was already shown');

    const counter = this.deps.tokens.counter(name, models.generation);
    const framing = albumPickPrompt({ request: input.prompt, answers: ctx.answers, familiarity: input.familiarity, lines: [] });
    const window = contextTokens(name, models.generation, ctx.llm);
    const room = Math.min(6000, Math.floor(window * 0.75) - counter(framing.system + framing.user) - 800);
    const fitted = fitAlbums(ranked, counter, { maxTokens: Math.max(0, room), maxAlbums: MAX_SENT }, now);
    const wanted = [...wants.genres, ...wants.styles, ...wants.moods];

    const chosen: ChosenAlbum[] = [];
    if (fitted.albums.length > 0) {
      const reply = await this.safely(ledger, 'albums', name, models.generation, warnings, () =>
        provider.pickAlbums({
          prompt: albumPickPrompt({
            request: input.prompt,
            answers: ctx.answers,
            familiarity: input.familiarity,
            lines: fitted.lines,
            count: COUNT,
          }),
          candidates: fitted.albums.map((album, i) => ({ id: String(i + 1), album })),
          count: COUNT,
          model: models.generation,
          familiarity: input.familiarity,
          now,
          wanted,
        }),
      );
      if (reply?.formatError) warnings.push(`albums: ${reply.formatError}`);
      if (reply) {
        const stats = acceptAlbumPicks(reply.picks, fitted.albums, chosen, COUNT, excluded);
        if (stats.unmatched) warnings.push(`${stats.unmatched} pick${stats.unmatched === 1 ? '' : 's'} named no album that was sent`);
      }
    }
    const filled = fillAlbums(ranked, chosen, COUNT, excluded, (a) => offlinePitch(a, input.familiarity, now, wanted));
    if (filled > 0 && name !== 'offline')
      warnings.push(`${filled} album${filled === 1 ? '' : 's'} filled from the ranking: the model's picks ran short`);
    return { cards: chosen.map(libraryCard), stats: { matching: albums.length, sent: fitted.albums.length } };
  }

  private async discovery(
    input: RecommendInput,
    ctx: {
      name: ProviderName;
      provider: PlaylistProvider;
      model: string;
      ledger: CallLedger;
      warnings: string[];
      answers: QuestionAnswer[];
    },
  ) {
    const { name, provider, model, ledger, warnings } = ctx;
    const profile = libraryProfile(this.deps.pool);
    const excluded = new Set((input.exclude ?? []).map(nameKey).filter((k): k is string => k !== null));
    const shown = [...(input.exclude ?? [])];
    const chosen: DiscoverySuggestion[] = [];
    let owned = 0;
    for (const attempt of [0, 1]) {
      const missing = COUNT - chosen.length;
      if (missing <= 0) break;
      const prompt = discoveryPrompt({
        request: input.prompt,
        answers: ctx.answers,
        taste: profile.taste,
        exclude: [...shown, ...chosen.map((c) => `${c.artist} – ${c.title}`)],
        count: missing,
      });
      const reply = await this.safely(ledger, 'discovery', name, model, warnings, () => provider.discoverAlbums(prompt, model));
      if (reply?.formatError) warnings.push(`discovery${attempt ? ' follow-up' : ''}: ${reply.formatError}`);
      if (reply) owned += acceptDiscovery(reply.suggestions, chosen, COUNT, (k) => profile.owned.has(k), excluded).owned;
    }
    if (owned > 0) warnings.push(`${owned} suggestion${owned === 1 ? '' : 's'} dropped: already in your library`);
    if (chosen.length === 0) throw new ProviderError(`playlists: ${name} suggested no album you do not already have; try again`, name, 502);
    if (chosen.length < COUNT) warnings.push(`only ${chosen.length} album${chosen.length === 1 ? '' : 's'} suggested`);
    return { cards: chosen.map(discoveryCard), stats: { matching: 0, sent: 0 } };
  }

  private wantsOf(
    analysis: AnalysisReply,
    ctx: { vocabulary: Awaited<ReturnType<VocabularyCache['get']>>['vocabulary']; knownArtists: (n: readonly string[]) => string[] },
  ) {
    const { filters } = resolveFilters({ genres: analysis.genres, styles: analysis.styles, moods: analysis.moods }, ctx.vocabulary);
    return {
      genres: filters.genres ?? [],
      styles: filters.styles ?? [],
      moods: filters.moods ?? [],
      artists: ctx.knownArtists([...analysis.artists, ...analysis.likeArtists]),
    };
  }

  /** One call, recorded; a configuration error stops the request, anything else is a warning and null. */
  private async safely<T>(
    ledger: CallLedger,
    role: CallRole,
    name: ProviderName,
    model: string,
    warnings: string[],
    call: () => Promise<{ value: T; usage: { inputTokens: number; outputTokens: number }; inputChars: number }>,
  ): Promise<T | null> {
    try {
      const result = await call();
      ledger.record(role, name, model, result);
      return result.value;
    } catch (err) {
      if (isConfigError(err)) throw err;
      ledger.failed(role, name, model, (err as Error).message);
      warnings.push(`${role} call failed: ${(err as Error).message.replace(/^playlists: /, '')}`);
      return null;
    }
  }

  private async record(
    input: RecommendInput,
    provider: ProviderName,
    model: string,
    ledger: CallLedger,
    outcome: { status: 'done' | 'failed'; error?: string; cards?: AlbumCard[]; warnings?: string[] },
  ): Promise<number> {
    return recordRecommendation(this.deps.db, {
      created_at: this.now(),
      mode: input.mode,
      familiarity: input.familiarity,
      request: JSON.stringify({
        prompt: input.prompt,
        answers: input.answers ?? [],
        filters: input.filters ?? {},
        exclude: input.exclude ?? [],
      }),
      provider,
      model,
      ...ledgerColumns(ledger),
      status: outcome.status,
      error: outcome.error ?? null,
      result: outcome.cards ? JSON.stringify({ albums: outcome.cards, warnings: outcome.warnings ?? [] }) : null,
    });
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
