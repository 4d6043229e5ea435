// The vocabularies and artist names change only with the library: kept until its version moves.
import type { Kysely } from 'kysely';
import { readDataVersionsOf, VersionedCache } from '../db/data-versions.js';
import type { Database } from '../db/schema.js';
import type { Vocabulary } from '../domain/playlist/index.js';
import type { MusicTagTest } from './music-tags.js';
import { loadArtistNames, loadVocabulary } from './vocabulary-query.js';

export class VocabularyCache {
  private readonly cached: VersionedCache<Promise<{ vocabulary: Vocabulary; artists: string[] }>>;

  constructor(
    private readonly db: Kysely<Database>,
    isMusic: MusicTagTest,
  ) {
    this.cached = new VersionedCache(null, ['library'], async () => {
      const [vocabulary, artists] = await Promise.all([loadVocabulary(db, isMusic), loadArtistNames(db)]);
      return { vocabulary, artists };
    });
  }

  async get(): Promise<{ vocabulary: Vocabulary; artists: string[] }> {
    return this.cached.at(await readDataVersionsOf(this.db));
  }
}
