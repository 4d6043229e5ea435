// Which tracks do not count as evidence (RATING-MODEL.md, "Evidence"):
//   excluded(t) ⇔ floor(durationMs / 1000) < exclusion.min_duration_s  or  an exclusion keyword is in title(t)
// A track with no known duration is judged by its title only.
import type { RatingParams } from './params.js';
import { keywordMatcher } from './text-match.js';
import type { ModelTrack } from './types.js';

/** Whole seconds, as the rules compare them. */
export const wholeSeconds = (durationMs: number): number => Math.floor(durationMs / 1000);

export type ExclusionRule = (track: ModelTrack) => boolean;

export function exclusionRule(params: RatingParams): ExclusionRule {
  const hasKeyword = keywordMatcher(params.exclusion.keywords);
  const minSeconds = params.exclusion.min_duration_s;
  return (track) => (track.durationMs !== null && wholeSeconds(track.durationMs) < minSeconds) || hasKeyword(track.title);
}

/** Why the rules exclude a track, in words ('shorter than 80 s', 'the word "outro" in its title'), or null. */
export function exclusionReason(params: RatingParams, track: ModelTrack): string | null {
  const minSeconds = params.exclusion.min_duration_s;
  if (track.durationMs !== null && wholeSeconds(track.durationMs) < minSeconds) return `shorter than ${minSeconds} s`;
  const word = params.exclusion.keywords.find((keyword) => keywordMatcher([keyword])(track.title));
  return word === undefined ? null : `the word "${word.trim().toLowerCase()}" in its title`;
}
