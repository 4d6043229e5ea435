// The caps a playlist is chosen under: the usual ones when the ranked pool fills the list under them, else
// the least lift that does — the album cap first, then the artist cap — so picks and fill share one set of caps.
import { describe, expect, it } from 'vitest';
import { capsToFill, selectDiverse, type DiversityCaps, type PoolTrack } from '../../../src/domain/playlist/index.js';
import { track } from './fixtures.js';

/** `artists` × `albums` × `songs`: distinct songs, best first in the order given. */
function pool(artists: number, albumsEach: number, songsEach: number): PoolTrack[] {
  const out: PoolTrack[] = [];
  for (let a = 0; a < artists; a++)
    for (let b = 0; b < albumsEach; b++)
      for (let s = 0; s < songsEach; s++)
        out.push(track({ artist: `Artist ${a}`, albumKey: `al-${a}-${b}`, title: `Song ${a}-${b}-${s}` }));
  return out;
}
const ranked = (tracks: PoolTrack[]) => tracks.map((t, i) => ({ track: t, score: 1000 - i }));
const usual: DiversityCaps = { perArtist: 2, perAlbum: 2, favouredArtistShare: 0.3 };

describe('capsToFill', () => {
  it.each([
    ['enough artists: the usual caps', pool(20, 2, 3), 25, { perArtist: 2, perAlbum: 2 }],
    ['5 artists × 2 albums for 15 tracks: the artist cap goes to 3', pool(5, 2, 3), 15, { perArtist: 3, perAlbum: 2 }],
    ['5 artists with one album each for 15 tracks: both go to 3', pool(5, 1, 4), 15, { perArtist: 3, perAlbum: 3 }],
    ['3 artists for 25 tracks: as far as it takes', pool(3, 3, 4), 25, { perArtist: 9, perAlbum: 8 }],
    ['a pool smaller than the list: lifted only as far as helps', pool(2, 1, 3), 25, { perArtist: 3, perAlbum: 3 }],
  ] as const)('%s', (_label, tracks, count, expected) => {
    const list = ranked(tracks);
    const caps = capsToFill(list, count, usual, new Set());
    expect(caps).toEqual({ ...usual, ...expected });
    const reach = Math.min(count, tracks.length);
    expect(selectDiverse(list, count, caps, new Set())).toHaveLength(reach);
    // The least lift: the step before (the album cap catches up with the artist cap, then the artist cap
    // goes one further) does not fill the list.
    if (caps.perArtist !== usual.perArtist || caps.perAlbum !== usual.perAlbum) {
      const less = caps.perAlbum === caps.perArtist ? { ...caps, perAlbum: caps.perAlbum - 1 } : { ...caps, perArtist: caps.perArtist - 1 };
      expect(selectDiverse(list, count, less, new Set()).length).toBeLessThan(reach);
    }
  });

  it('under the lifted caps the list is the best-ranked it can be, never a low-ranked track for the sake of strict caps', () => {
    // Artist 0 has the ten best tracks; six more artists have one each at the bottom of the ranking.
    const best = pool(1, 5, 2);
    const rest = Array.from({ length: 6 }, (_, i) => track({ artist: `Other ${i}`, albumKey: `o-${i}`, title: `Other ${i}` }));
    const list = ranked([...best, ...rest]);
    const caps = capsToFill(list, 10, usual, new Set());
    const chosen = selectDiverse(list, 10, caps, new Set()).map((t) => t.title);
    expect(chosen).toHaveLength(10);
    expect(chosen.filter((t) => t.startsWith('Other'))).toHaveLength(6);
    expect(chosen.filter((t) => t.startsWith('Song'))).toHaveLength(4);
  });
});
