// Keeps the pool index fresh without paying for a check on every request:
//   1. O(1): `PRAGMA data_version` (another connection committed) and `total_changes()` (this one wrote);
//   2. only if either moved: a content fingerprint of the tables the index reads (~45 ms at 300k tracks);
//   3. only if that moved: reload the index (~2–3 s at 300k tracks; milliseconds for typical libraries).
// Unrelated writes (the webhook inbox, playlist history) therefore cost one fingerprint, not a reload.
import { musicTags, type MusicTagTest } from './music-tags.js';
import { loadPoolIndex, type InferredSource, type PoolIndex, type SqliteReader } from './pool-index.js';

const FINGERPRINT = `select
  (select count(*) || ':' || coalesce(max(updated_at), 0) || ':' || total(user_rating) || ':' || count(user_rating) from tracks) || '|' ||
  (select count(*) || ':' || coalesce(max(updated_at), 0) || ':' || total(is_live) from albums) || '|' ||
  (select count(*) from item_tags)`;
const STATE_FINGERPRINT = `select count(*) || ':' || total(written_value) from rating_state`;

export class PoolIndexCache {
  private index: PoolIndex | null = null;
  private cheap = '';
  private precise = '';

  constructor(
    private readonly sqlite: SqliteReader,
    private readonly inferred: InferredSource = 'rating-state',
    /** Which tags are music: every tag but the configured inferred tag (wiring.ts passes it). */
    private readonly isMusic: MusicTagTest = musicTags(''),
  ) {}

  current(): PoolIndex {
    const cheap = `${this.sqlite.pragma('data_version', { simple: true })}:${(this.sqlite.prepare('select total_changes()').pluck().get() as number)}`;
    if (this.index !== null && cheap === this.cheap) return this.index;
    const precise = this.fingerprint();
    if (this.index === null || precise !== this.precise) this.index = loadPoolIndex(this.sqlite, this.inferred, this.isMusic);
    this.precise = precise;
    this.cheap = cheap;
    return this.index;
  }

  /** Forces a reload on the next request (after a sync, say). */
  invalidate(): void {
    this.index = null;
  }

  private fingerprint(): string {
    const library = this.sqlite.prepare(FINGERPRINT).pluck().get() as string;
    const state = this.inferred === 'rating-state' ? (this.sqlite.prepare(STATE_FINGERPRINT).pluck().get() as string) : '';
    return `${library}|${state}`;
  }
}
