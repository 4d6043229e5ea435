// The offline provider: no key, no network. Analysis reads the request against the vocabularies, the seed
// is described from its tags, and generation takes the candidates in rank order (they arrive ranked),
// keeps a little artist variety and puts them in a listening order. Usage is zero; so is the cost.
import {
  DiversityLedger,
  analyseOffline,
  describeSeedOffline,
  sequenceTracks,
  tellingTags,
  type AnalysisReply,
  type PoolTrack,
  type SeedDimension,
} from '../../domain/playlist/index.js';
import { offlinePitch, type ClarifyingQuestion } from '../../domain/recommend/index.js';
import { ProviderConfigError } from './errors.js';
import type {
  AlbumPickRequest,
  AlbumPickResult,
  AnalyseRequest,
  CallResult,
  DiscoveryResult,
  GenerateRequest,
  GenerationResult,
  PlaylistProvider,
} from './provider.js';

const NONE = { inputTokens: 0, outputTokens: 0 };

function titleFor(request: string): string {
  const words = request.trim().replace(/\s+/g, ' ').split(' ').slice(0, 8).join(' ');
  if (words === '') return 'Sagewire mix';
  return (words.charAt(0).toUpperCase() + words.slice(1)).slice(0, 60);
}

export class OfflineProvider implements PlaylistProvider {
  readonly name = 'offline' as const;

  async analyse(request: AnalyseRequest): Promise<CallResult<AnalysisReply>> {
    return { value: analyseOffline(request.request, request.vocabulary, request.artistNames), usage: NONE, inputChars: 0 };
  }

  async describeSeed(seed: PoolTrack): Promise<CallResult<SeedDimension[]>> {
    return { value: describeSeedOffline(seed), usage: NONE, inputChars: 0 };
  }

  async generate(request: GenerateRequest): Promise<CallResult<GenerationResult>> {
    // The same caps the pipeline enforces, so nothing offline picks is dropped.
    const ledger = new DiversityLedger(request.caps, request.count, new Set(request.favoured));
    const picked: { id: string; track: PoolTrack }[] = [];
    for (const candidate of request.candidates) {
      if (picked.length >= request.count) break;
      if (ledger.refusal(candidate.track) !== null) continue;
      ledger.add(candidate.track);
      picked.push(candidate);
    }
    const ordered = sequenceTracks(picked);
    const artists = [...new Set(ordered.map((c) => c.track.artist))].slice(0, 3);
    return {
      value: {
        title: titleFor(request.request),
        // No count here: a top-up call's reply must not describe the whole playlist by its own size.
        description:
          'Chosen from your library and put in a listening order by Sagewire, without a language model.' +
          (artists.length ? ` With ${artists.join(', ')} and more.` : ''),
        picks: ordered.map(({ id, track }) => ({
          id,
          artist: null,
          title: null,
          text: null,
          reason: [tellingTags(track, undefined, 2).join(', '), track.year ? String(track.year) : ''].filter(Boolean).join('; '),
        })),
        formatError: null,
      },
      usage: NONE,
      inputChars: 0,
    };
  }

  /** Offline asks nothing: the ranking reads the request as it is. */
  async clarify(): Promise<CallResult<ClarifyingQuestion[]>> {
    return { value: [], usage: NONE, inputChars: 0 };
  }

  /** The best-ranked candidates (they arrive ranked), each with a pitch written from its data. */
  async pickAlbums(request: AlbumPickRequest): Promise<CallResult<AlbumPickResult>> {
    return {
      value: {
        picks: request.candidates.slice(0, request.count).map(({ id, album }) => ({
          id,
          artist: null,
          title: null,
          text: null,
          reason: offlinePitch(album, request.familiarity, request.now, request.wanted),
        })),
        formatError: null,
      },
      usage: NONE,
      inputChars: 0,
    };
  }

  async discoverAlbums(): Promise<CallResult<DiscoveryResult>> {
    throw new ProviderConfigError(
      'offline',
      'discovery needs a language model: choose OpenAI, Anthropic, Gemini or an OpenAI-compatible server',
    );
  }
}
