// Signs that an earlier Sagewire rated this library while this one has no memory of it: ratings off the
// whole-point grid (only Sagewire writes those) or the inferred mood tag, with a journal holding no applied
// write. One statement: the journal is looked at first and, when it has applied rows (the usual case after
// the first run), nothing else is read. Otherwise each count stops at `cap` rows, so a large library that
// an earlier install rated costs a bounded scan; the tag count uses the (kind, tag) index.
import type { RawReader } from './library-reads.js';

export interface RecoveryEvidence {
  /** The journal holds at least one applied row: Sagewire has a memory of its own writes. */
  journaled: boolean;
  /** Artists, albums and tracks whose cached rating is not a whole point, each kind counted up to `cap`. */
  fractional: number;
  /** Items carrying the inferred mood tag, counted up to `cap`. */
  tagged: number;
}

const fractionalIn = (table: string) =>
  `(select count(*) from (select 1 from ${table} where user_rating is not null and abs(user_rating - round(user_rating)) >= 0.05 limit @cap))`;

const EVIDENCE = `
  with journal(applied) as (select exists(select 1 from write_journal where status = 'applied'))
  select applied as journaled,
         case when applied then 0 else ${fractionalIn('tracks')} + ${fractionalIn('albums')} + ${fractionalIn('artists')} end as fractional,
         case when applied or @tag = '' then 0
              else (select count(*) from (select 1 from item_tags where kind = 'mood' and tag = @tag limit @cap)) end as tagged
  from journal`;

/** `tag`: the inferred mood tag in effect ('' when tagging is off: only fractional values count). */
export function recoveryEvidence(sqlite: RawReader, tag: string, cap: number): RecoveryEvidence {
  const row = sqlite.prepare(EVIDENCE).get({ tag, cap }) as { journaled: number; fractional: number; tagged: number };
  return { journaled: row.journaled === 1, fractional: row.fractional, tagged: row.tagged };
}
