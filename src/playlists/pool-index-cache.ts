// Keeps the pool index fresh: it reads tracks, albums, tags (the library) and ratings with Sagewire's
// claims (the ratings), so it is reloaded (5–6.5 s at 300k tracks on a busy 2-core machine; milliseconds for typical libraries)
// exactly when either data version moves, and each request checks two integers. Unrelated writes (the
// webhook inbox, playlist history) move neither.
import { VersionedCache } from '../db/data-versions.js';
import { musicTags, type MusicTagTest } from './music-tags.js';
import { loadPoolIndex, type InferredSource, type PoolIndex, type SqliteReader } from './pool-index.js';

export class PoolIndexCache {
  private readonly index: VersionedCache<PoolIndex>;

  constructor(
    sqlite: SqliteReader,
    inferred: InferredSource = 'rating-state',
    /** Which tags are music: every tag but the configured inferred tag (wiring.ts passes it). */
    isMusic: MusicTagTest = musicTags(''),
  ) {
    this.index = new VersionedCache(sqlite, ['library', 'ratings'], () => loadPoolIndex(sqlite, inferred, isMusic));
  }

  current(): PoolIndex {
    return this.index.get();
  }
}
