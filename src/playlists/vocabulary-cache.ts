// The vocabularies and artist names change only with a sync: cached, reloaded after `ttlMs`.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Vocabulary } from '../domain/playlist/index.js';
import type { MusicTagTest } from './music-tags.js';
import { loadArtistNames, loadVocabulary } from './vocabulary-query.js';

export class VocabularyCache {
  private cached: { at: number; vocabulary: Vocabulary; artists: string[] } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly isMusic: MusicTagTest,
    private readonly ttlMs = 5 * 60_000,
  ) {}

  async get(): Promise<{ vocabulary: Vocabulary; artists: string[] }> {
    if (this.cached === null || Date.now() - this.cached.at > this.ttlMs) {
      const [vocabulary, artists] = await Promise.all([loadVocabulary(this.db, this.isMusic), loadArtistNames(this.db)]);
      this.cached = { at: Date.now(), vocabulary, artists };
    }
    return this.cached;
  }

  invalidate(): void {
    this.cached = null;
  }
}
