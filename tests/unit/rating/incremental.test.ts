// Property: applying subtree recomputation after every rating event gives, for every item, exactly what a
// full pass over the final state gives (μ and κ held at the final state's, as the full pass computes them),
// in the classic model and in the learned one (fitted constants with listening shifts), exclusions included.
import { describe, expect, it } from 'vitest';
import {
  albumEvidence,
  applySubtree,
  buildLibraryIndex,
  computeAll,
  computePrior,
  computeSubtree,
  computeWithPrior,
  muOf,
  ratingParamsFromOverrides,
  scopeOfEvent,
  swapAlbumEvidence,
  tallyEvidence,
  type LibraryIndex,
  type LibrarySnapshot,
  type ModelTerms,
  modelTerms,
  type OwnershipView,
  type RatingValues,
} from '../../../src/domain/rating/index.js';
import { seededRandom } from '../../support/seeded-random.js';

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

function randomLibrary(random: Random): LibrarySnapshot {
  const snapshot: LibrarySnapshot = { artists: [{ key: 'va', title: 'Various Artists' }], albums: [], tracks: [] };
  const artistCount = 2 + Math.floor(random() * 5);
  for (let r = 0; r < artistCount; r++)
    snapshot.artists.push({ key: `r${r}`, title: pick(random, ['Band', 'Solo', 'Duo', `Artist ${r}`]) + (r > 3 ? ` ${r}` : '') });
  const songs = ['Song', 'Ballad', 'Intro', 'Song (Live)', 'Hit', 'Interlude', 'Reprise'];
  let albumCount = 0;
  for (const artist of snapshot.artists) {
    const albums = 1 + Math.floor(random() * 3);
    for (let i = 0; i < albums; i++) {
      const albumKey = `a${albumCount++}`;
      snapshot.albums.push({
        key: albumKey,
        artistKey: artist.key,
        title: pick(random, ['Album', 'Best Of', 'Live at Home', 'Debut', 'Acoustic']),
        criticRating: pick(random, [null, null, 0, 6.5, 8, 9.5, 10]),
        isLive: random() < 0.1,
        genres: pick(random, [['Rock'], ['Jazz', 'Spoken'], [], ['Pop']]),
      });
      const played = random() < 0.7;
      const trackCount = 1 + Math.floor(random() * 5);
      for (let j = 0; j < trackCount; j++) {
        const song = pick(random, songs);
        const trackArtist = artist.key === 'va' ? pick(random, snapshot.artists.slice(1)).title : artist.title;
        snapshot.tracks.push({
          key: `${albumKey}t${j}`,
          albumKey,
          artistKey: artist.key,
          title: song,
          trackArtist,
          durationMs: random() < 0.1 ? null : random() < 0.15 ? 40_000 : 180_000 + song.length * 10_000 + Math.floor(random() * 8000),
          plays: played ? Math.floor(random() * 40) : 0,
          skips: played && random() < 0.3 ? Math.floor(random() * 5) : 0,
        });
      }
    }
  }
  return snapshot;
}

interface MutableOwnership {
  manual: Map<string, number>;
  optedOut: Set<string>;
}

const cloneOwnership = (o: OwnershipView): MutableOwnership => ({ manual: new Map(o.manual), optedOut: new Set(o.optedOut) });
const randomRating = (random: Random) => (random() < 0.7 ? Math.floor(random() * 11) : Math.round(random() * 100) / 10);

/** One rating event: rate, clear, opt out or opt back in; returns the key it touched. */
function applyEvent(random: Random, snapshot: LibrarySnapshot, ownership: MutableOwnership): string {
  const kind = random();
  const items = kind < 0.7 ? snapshot.tracks : kind < 0.9 ? snapshot.albums : snapshot.artists;
  const key = pick(random, items).key;
  const action = random();
  if (action < 0.55) {
    ownership.optedOut.delete(key);
    ownership.manual.set(key, randomRating(random));
  } else if (action < 0.8) {
    ownership.manual.delete(key);
  } else if (!ownership.manual.has(key)) {
    if (ownership.optedOut.has(key)) ownership.optedOut.delete(key);
    else ownership.optedOut.add(key);
  }
  return key;
}

const sorted = (map: Map<string, number>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
const expectSameValues = (actual: RatingValues, expected: RatingValues) => {
  expect(sorted(actual.artists)).toStrictEqual(sorted(expected.artists));
  expect(sorted(actual.albums)).toStrictEqual(sorted(expected.albums));
  expect(sorted(actual.tracks)).toStrictEqual(sorted(expected.tracks));
};

const PARAMETER_SETS: Array<Record<string, string>> = [
  {},
  { fill_unknown: 'false' },
  { W_critic: '0', 'twins.duration_tolerance_s': '0' },
  {
    C: '1.5',
    g_album: '0',
    g_track: '1',
    'twins.exclude_keywords': '',
    'twins.exclude_bracketed': 'false',
    'exclusion.min_duration_s': '0',
  },
  { 'exclude.genres': 'spoken', 'exclude.artists': 'Duo', 'exclude.albums': 'Debut' },
];

/** Odd seeds compute with learned constants and listening shifts; even seeds with the classic model. */
const LEARNED = { cAlbum: 1.3, cArtist: 0.7, beta: 0.45, gammaLevel: 0.8, gammaUnplayed: -0.4 };

describe('incremental recalculation equals a full pass', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const overrides = PARAMETER_SETS[seed % PARAMETER_SETS.length];
    const learned = seed % 2 === 1;
    it(`seed ${seed} ${learned ? 'learned ' : ''}${JSON.stringify(overrides)}`, () => {
      const random = seededRandom(seed);
      const snapshot = randomLibrary(random);
      const params = ratingParamsFromOverrides(overrides);
      const index: LibraryIndex = buildLibraryIndex(snapshot, params);
      const terms: ModelTerms | undefined = learned ? modelTerms(index, LEARNED) : undefined;
      if (learned) expect(terms!.shifted).toBe(true);
      const initial: MutableOwnership = { manual: new Map(), optedOut: new Set() };
      for (const track of snapshot.tracks) if (random() < 0.3) initial.manual.set(track.key, randomRating(random));
      for (const album of snapshot.albums) if (random() < 0.15) initial.manual.set(album.key, randomRating(random));
      for (const artist of snapshot.artists) if (random() < 0.15) initial.manual.set(artist.key, randomRating(random));
      for (const track of snapshot.tracks) if (!initial.manual.has(track.key) && random() < 0.1) initial.optedOut.add(track.key);

      // First the events alone, to know the final state and its μ.
      const eventSeed = Math.floor(random() * 2 ** 32);
      const eventCount = 10 + Math.floor(random() * 30);
      const final = cloneOwnership(initial);
      const replay = seededRandom(eventSeed);
      for (let i = 0; i < eventCount; i++) applyEvent(replay, snapshot, final);
      const prior = computePrior(index, final, terms);

      // Then the same events, each followed by its subtree, starting from a pass over the initial state.
      const ownership = cloneOwnership(initial);
      const values = computeWithPrior(index, ownership, params, prior, terms);
      let tally = tallyEvidence(index, ownership, terms);
      const events = seededRandom(eventSeed);
      for (let i = 0; i < eventCount; i++) {
        const before = cloneOwnership(ownership);
        const key = applyEvent(events, snapshot, ownership);
        const track = index.trackPosition.get(key);
        if (track !== undefined) {
          // O(1) μ: swap the touched album's evidence (the all-excluded fallback may flip).
          const album = index.trackAlbum[track];
          tally = swapAlbumEvidence(tally, albumEvidence(index, before, album, terms), albumEvidence(index, ownership, album, terms));
        }
        const scope = scopeOfEvent(index, key);
        expect(scope, key).not.toBeNull();
        applySubtree(values, computeSubtree(index, ownership, params, scope!, prior, values.albums, terms));
      }

      expectSameValues(values, computeAll(index, final, params, terms));
      expect(tally).toEqual(tallyEvidence(index, final, terms));
      expect(muOf(tally)).toBe(prior.mu);
    });
  }
});

describe('subtree scope', () => {
  const random = seededRandom(11);
  const snapshot = randomLibrary(random);
  const index = buildLibraryIndex(snapshot, ratingParamsFromOverrides({}));

  it('a track or album of an artist recomputes the artist; of a compilation, only that album', () => {
    const regular = snapshot.tracks.find((t) => t.artistKey !== 'va')!;
    expect(scopeOfEvent(index, regular.key)).toEqual({ kind: 'artist', artistKey: regular.artistKey });
    expect(scopeOfEvent(index, regular.albumKey)).toEqual({ kind: 'artist', artistKey: regular.artistKey });
    const compilation = snapshot.tracks.find((t) => t.artistKey === 'va')!;
    expect(scopeOfEvent(index, compilation.key)).toEqual({ kind: 'album', albumKey: compilation.albumKey });
    expect(scopeOfEvent(index, 'va')).toEqual({ kind: 'artist', artistKey: 'va' });
    expect(scopeOfEvent(index, 'missing')).toBeNull();
  });

  it('reports twin members outside the subtree, and keys that lost their value', () => {
    const ownership: MutableOwnership = { manual: new Map(), optedOut: new Set() };
    const cluster = index.twinClusters.find((members) => new Set(members.map((t) => snapshot.tracks[t].artistKey)).size > 1);
    expect(cluster).toBeDefined();
    const [first, second] = [
      snapshot.tracks[cluster![0]],
      snapshot.tracks.find((t, i) => cluster!.includes(i) && t.artistKey !== snapshot.tracks[cluster![0]].artistKey)!,
    ];
    const values = computeAll(index, ownership, index.params);
    ownership.manual.set(first.key, 9.5);
    const subtree = computeSubtree(index, ownership, index.params, scopeOfEvent(index, first.key)!, values, values.albums);
    expect(subtree.scope.tracks).toContain(first.key);
    expect(subtree.tracks.has(first.key)).toBe(false);
    expect(subtree.tracks.get(second.key)).toBe(9.5);
    applySubtree(values, subtree);
    expect(values.tracks.has(first.key)).toBe(false);
    expect(values.tracks.get(second.key)).toBe(9.5);
  });
});
