// Explanations of one item, in numbers.
import { describe, expect, it } from 'vitest';
import { explainItem, type AlbumExplanation, type ArtistExplanation, type TrackExplanation } from '../../../src/domain/rating/index.js';
import { LibraryBuilder, owned } from './support/library-builder.js';
import { run } from './support/run.js';

// μ = 6; r1: e_a1 = 6.4, v_r1 = 6.1, v_a1 = 6.46 (see compute.test.ts)
const lib = new LibraryBuilder()
  .artist('r1')
  .album('a1', 'r1')
  .track('t1', 'a1')
  .track('t2', 'a1')
  .track('t3', 'a1')
  .album('best', 'r1', { title: 'Best Of', criticRating: 9 })
  .track('b3', 'best', { title: 't3' })
  .artist('r2')
  .album('a2', 'r2', { criticRating: 7 })
  .track('t4', 'a2')
  .track('t5', 'a2')
  .artist('va', 'Various Artists')
  .album('c1', 'va')
  .track('c1t', 'c1');
const ownership = owned({ t1: 8, t2: 6, t4: 4, r2: 5 }, ['t5']);
const { index, params, values } = run(lib, ownership);
const explain = (key: string) => explainItem(index, ownership, params, key, values);

describe('explainItem', () => {
  it('an artist: its prior and the estimates of its albums', () => {
    const artist = explain('r1') as ArtistExplanation;
    expect(artist).toMatchObject({
      kind: 'artist',
      ownership: 'computed',
      mu: 6,
      C: 3,
      albums: [{ key: 'a1', value: 6.4, from: 'evidence' }],
    });
    expect(artist.value).toBeCloseTo(6.1, 12);
    expect(artist.value).toBe(values.artists.get('r1'));
    expect(artist.written).toBe(6.1);
    expect(artist.line).toBe('artist 6.1 = (3 × 6 + 6.4) / (3 + 1)');
  });

  it('an album with evidence: base from the artist', () => {
    const album = explain('a1') as AlbumExplanation;
    expect(album).toMatchObject({ kind: 'album', baseSource: 'artist inferred', critic: null, evidence: [8, 6], C: 3 });
    expect(album.value).toBe(values.albums.get('a1'));
    expect(album.line).toBe('album 6.46 = (3 × 6.1 + 8 + 6) / (3 + 2), base 6.1 from the artist');
  });

  it('an album without evidence, with a critic rating', () => {
    // κ = 8; crit(6.1) = (6.1 + 7.1)/2 = 6.6
    const album = explain('best') as AlbumExplanation;
    expect(album.critic).toBe(9);
    expect(album.kappa).toBe(8);
    expect(album.criticAdjustedBase).toBeCloseTo(6.6, 12);
    expect(album.line).toBe(
      'album 6.6 = its base (no track evidence), base 6.1 from the artist; critic 9 vs average 8 moves the base to 6.6',
    );
  });

  it('an album under a manual artist, and a compilation album', () => {
    // base = 5·0.2 + 6·0.8 = 5.8; crit = (5.8 + 4.8)/2 = 5.3; v = (3·5.3 + 4)/4 = 4.975
    const album = explain('a2') as AlbumExplanation;
    expect(album.baseSource).toBe('artist manual with gravity');
    expect(album.line).toBe(
      'album 4.98 = (3 × 5.3 + 4) / (3 + 1), base 5.8 = 5 × (1 − 0.8) + μ 6 × 0.8 from the artist rated by hand; ' +
        'critic 7 vs average 8 moves the base to 5.3',
    );
    expect((explain('c1') as AlbumExplanation).line).toBe('album 6 = its base (no track evidence), base μ 6 (compilation)');
    expect((explain('va') as ArtistExplanation).line).toBe('Various Artists is the compilation placeholder and gets no rating');
  });

  it('tracks: twins, album, manual, opted out', () => {
    const twin = explain('t3') as TrackExplanation;
    expect(twin.source).toBe('twins');
    expect(twin.value).toBe(values.tracks.get('t3'));
    expect(twin.line).toBe("track 6.53 = mean of its 2 copies' album values (6.46, 6.6)");
    expect((explain('c1t') as TrackExplanation).line).toBe("track 6 = its album's value");
    expect(explain('t1')).toMatchObject({
      source: 'manual',
      ownership: 'manual',
      value: 8,
      written: null,
      line: 'track 8 is rated by hand',
    });
    expect(explain('t5')).toMatchObject({ source: 'opted out', ownership: 'opted_out', value: null, written: null });
    expect(explain('r2')).toMatchObject({ ownership: 'manual', value: 5, line: 'artist 5 is rated by hand' });
  });

  it('a track anchored by a manual twin, and one under a manual album', () => {
    const anchored = owned({ t1: 8, t2: 6, b3: 9, a2: 7 });
    const result = run(lib, anchored);
    const t3 = explainItem(result.index, anchored, result.params, 't3', result.values) as TrackExplanation;
    expect(t3.line).toBe('track 9 = mean of its twins rated by hand (9)');
    const t5 = explainItem(result.index, anchored, result.params, 't5', result.values) as TrackExplanation;
    expect(t5.source).toBe('album manual with gravity');
    expect(t5.value).toBe(result.values.tracks.get('t5'));
  });

  it('an unknown key has no explanation', () => {
    expect(explain('nope')).toBeNull();
  });
});
