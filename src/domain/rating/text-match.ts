// Title matching for exclusions and twins (RATING-MODEL.md, "Twins" and "Parameters").
//   norm(s) = NFKD → drop combining marks → lower-case → every char not a letter, digit or space → space
//             → collapse runs of spaces → trim
//   keyword k matches title t  ⇔  k occurs in lower(t) with no letter or digit directly before or after it
// Letters and digits are Unicode-aware (\p{L}, \p{N}), so "intro" matches "Intro (Live)" and "intro-3"
// but not "Introduction" or "intro2".

export function norm(text: string): string {
  return asciiNorm(text) ?? unicodeNorm(text);
}

/**
 * norm() of a pure-ASCII string in one pass, or null for any other string. For ASCII, NFKD changes nothing,
 * there are no combining marks, and the letters and digits are exactly [A-Za-z0-9], so this is the same
 * function — about five times faster, which matters with a title and an artist per track of the library.
 */
function asciiNorm(text: string): string | null {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 127) return null;
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (pendingSpace && out.length > 0) out += ' ';
      pendingSpace = false;
      out += String.fromCharCode(c);
    } else pendingSpace = true;
  }
  return out;
}

function unicodeNorm(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}

export type KeywordMatcher = (title: string) => boolean;

const escapeForRegExp = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles the keyword list once; the matcher is called for every track of the library. */
export function keywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const words = keywords.map((word) => word.trim().toLowerCase()).filter((word) => word.length > 0);
  if (words.length === 0) return () => false;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.map(escapeForRegExp).join('|')})(?![\\p{L}\\p{N}])`, 'u');
  // Most titles contain none of the words at all: a plain substring check rules them out before the
  // Unicode-aware pattern (whole word) is asked.
  return (title) => {
    const lower = title.toLowerCase();
    return words.some((word) => lower.includes(word)) && pattern.test(lower);
  };
}

/** A title containing `(`…`)` or `[`…`]` (an opening bracket closed later in the title). */
export function hasBracketedPart(title: string): boolean {
  return /\(.*\)|\[.*\]/s.test(title);
}

/** Plex's placeholder album artist for compilations, as twins also spell it. */
export const COMPILATION_ARTIST = 'various artists';

export function isCompilationArtistName(name: string): boolean {
  return norm(name) === COMPILATION_ARTIST;
}
