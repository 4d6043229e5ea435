// One copy per song. The key is the rating model's twin key — (norm(track artist), norm(title)) — with the
// reissue markers that do not make a different recording removed first, so "Song (Remastered 2011)" and
// "Song" collapse; "Song (Live)" and "Song (Remix)" stay apart.
import { norm } from '../rating/text-match.js';

const REISSUE_PART =
  /\s*[([][^)\]]*\b(?:remaster(?:ed)?|mono|stereo|single version|album version|radio edit|bonus track|deluxe)\b[^)\]]*[)\]]/gi;
const REISSUE_SUFFIX = /\s[-–—]\s*(?:\d{4}\s+)?(?:remaster(?:ed)?|mono|stereo|single version|album version|radio edit)\b.*$/i;

export function songTitle(title: string): string {
  return title.replace(REISSUE_PART, '').replace(REISSUE_SUFFIX, '').trim() || title;
}

export function twinKey(track: { artist: string; title: string }): string {
  return `${norm(track.artist)}\u0000${norm(songTitle(track.title))}`;
}
