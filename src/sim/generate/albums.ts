// Track lists for each kind of album. Copies of studio recordings (best-ofs, compilations, reissues, live
// versions) keep a `sourceKey` so the taste model can give the same recording the same true opinion.
import type { Rng } from './prng.js';
import type { SimTrack } from '../library.js';
import { SHORT_TRACK_TITLES, TRACK_SUFFIXES } from './vocabulary.js';
import type { NameMaker } from './names.js';

export interface TrackDraft {
  title: string;
  duration: number;
  originalTitle?: string;
  sourceKey?: string;
  short?: boolean;
}

const SHORT_MIN_MS = 20_000;
const SHORT_MAX_MS = 79_000;

export function shortDuration(rng: Rng): number {
  return rng.int(SHORT_MIN_MS, SHORT_MAX_MS);
}

export function songDuration(rng: Rng, meanSeconds: number): number {
  const seconds = Math.max(95, Math.min(900, meanSeconds * (1 + 0.28 * rng.normal())));
  return Math.round(seconds * 1000) + rng.int(0, 999);
}

/** Studio album: mostly songs, occasionally an intro, interlude, skit or outro under 80 s. */
export function studioTracks(
  rng: Rng,
  names: NameMaker,
  taken: Set<string>,
  count: number,
  meanSeconds: number,
  skitProne: boolean,
): TrackDraft[] {
  const drafts: TrackDraft[] = [];
  for (let i = 0; i < count; i++) {
    const first = i === 0,
      last = i === count - 1 && count > 6;
    let short: string | undefined;
    if (first && rng.chance(skitProne ? 0.3 : 0.07)) short = rng.chance(0.8) ? 'Intro' : 'Intro (Reprise)';
    else if (last && rng.chance(0.04)) short = 'Outro';
    else if (!first && !last && rng.chance(skitProne ? 0.1 : 0.02)) short = rng.pick(SHORT_TRACK_TITLES.slice(2, 6));
    if (short) {
      drafts.push({ title: short, duration: shortDuration(rng), short: true });
      continue;
    }
    let title = names.track(taken);
    if (first && rng.chance(0.01)) title = 'Introduction'; // a full-length song: keyword rules must match whole words only
    if (rng.chance(0.04)) title = `${title} ${rng.pick(TRACK_SUFFIXES)}`;
    drafts.push({ title, duration: songDuration(rng, meanSeconds) });
  }
  return drafts;
}

/** Whether a studio track can be repeated on a best-of or compilation under the same title. */
export function isRepeatable(t: SimTrack): boolean {
  return t.duration >= 90_000 && !/[([]/.test(t.title) && t.title !== 'Introduction';
}

/** Best-of: the same recordings, durations within a few seconds (different masters / fades). */
export function bestOfTracks(rng: Rng, sources: SimTrack[], count: number, year: number): TrackDraft[] {
  return rng.sample(sources, count).map((src) => {
    const remastered = rng.chance(0.08);
    return {
      title: remastered ? `${src.title} (Remastered ${year})` : src.title,
      duration: Math.max(90_000, src.duration + rng.int(-4000, 4000)),
      sourceKey: src.ratingKey,
    };
  });
}

/** Live album: same titles, much longer, plus crowd noise under 80 s. Excluded from twins by the live rule. */
export function liveTracks(rng: Rng, sources: SimTrack[], count: number): TrackDraft[] {
  const drafts: TrackDraft[] = [];
  if (count > 6 && rng.chance(0.5)) drafts.push({ title: 'Intro', duration: shortDuration(rng), short: true });
  for (const src of rng.sample(sources, count - drafts.length - (count > 8 ? 1 : 0))) {
    drafts.push({
      title: rng.chance(0.3) ? `${src.title} (Live)` : src.title,
      duration: src.duration + rng.int(10_000, 90_000),
      sourceKey: src.ratingKey,
    });
  }
  while (drafts.length < count) drafts.push({ title: 'Applause', duration: shortDuration(rng), short: true });
  return drafts;
}

/** Deluxe reissue: every title bracketed "(Remastered YYYY)", plus demos. None are twin candidates. */
export function deluxeTracks(
  rng: Rng,
  names: NameMaker,
  taken: Set<string>,
  original: SimTrack[],
  count: number,
  year: number,
): TrackDraft[] {
  const drafts: TrackDraft[] = original.slice(0, count).map((src) => ({
    title: `${src.title} (Remastered ${year})`,
    duration: src.duration + rng.int(-1500, 1500),
    sourceKey: src.ratingKey,
    short: src.duration < 80_000,
  }));
  while (drafts.length < count) {
    drafts.push({ title: `${names.track(taken)} (Demo)`, duration: songDuration(rng, 200) });
  }
  return drafts;
}

/**
 * Various Artists compilation: `originalTitle` carries the track artist. Most durations stay within a few
 * seconds of the studio version (twins); about one in six differs by 20–60 s (an edit), which the
 * duration tolerance must reject.
 */
export function compilationTracks(rng: Rng, pool: SimTrack[], artistOf: (t: SimTrack) => string, count: number): TrackDraft[] {
  return rng.sample(pool, count).map((src) => {
    const edit = rng.chance(0.16);
    const suffix = rng.chance(0.08) ? ` ${rng.pick(['(Single Version)', '(Radio Edit)'])}` : '';
    const delta = edit ? rng.pick([-1, 1]) * rng.int(20_000, 60_000) : rng.int(-4000, 4000);
    return {
      title: src.title + suffix,
      duration: Math.max(90_000, src.duration + delta),
      originalTitle: artistOf(src),
      sourceKey: src.ratingKey,
    };
  });
}
