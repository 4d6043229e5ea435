// Fill rate — the share of the requested length that comes back — over many fake-model behaviours, with
// the real OpenAI SDK against the local fake server (goal: 100 % whenever the filtered library has enough
// tracks); and for "songs like <artist>" the share of that artist's tracks in the pool sent and in the
// playlist (MediaSage issue 18: 10 of 100).
//   npm run bench playlist-fill -- --tracks 20000
import { twinKey } from '../src/domain/playlist/index.js';
import { RECOVERABLE } from '../tests/support/fake-llm/behaviours.js';
import { startFakeLlm } from '../tests/support/fake-llm/server.js';
import { startHarness } from '../tests/integration/playlists/support/harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const fake = await startFakeLlm();
const h = await startHarness({ tracks: arg('tracks', 20_000), seed: 5, fakeUrl: fake.url });

const requests = [
  { prompt: 'melancholy evening', filters: { moods: ['Melancholy'], excludeLive: true } },
  { prompt: 'jazz', filters: { genres: ['Jazz'] } },
  { prompt: '80s', filters: { decades: [1980], excludeLive: true } },
  { prompt: 'anything good', filters: { minRating: 3 } },
];
let asked = 0;
let got = 0;
let runs = 0;
let short = 0;
const t0 = performance.now();
for (const behaviour of RECOVERABLE) {
  for (const r of requests) {
    for (const count of [10, 25, 50, 100]) {
      if (h.pool.count(r.filters) < count) continue;
      // the behaviour for the first call; the top-up (if any) misbehaves the same way
      fake.queue(behaviour, behaviour);
      const result = await h.service.generate({ ...r, count, provider: 'openai', maxTracks: 300, variety: runs });
      asked += count;
      got += result.tracks.length;
      runs++;
      if (result.tracks.length < count) short++;
    }
  }
}
console.log(
  `fill rate: ${got}/${asked} = ${((100 * got) / asked).toFixed(2)} % over ${runs} generations ` +
    `(${RECOVERABLE.length} behaviours: ${RECOVERABLE.join(', ')}); short playlists: ${short}; ` +
    `${((performance.now() - t0) / runs).toFixed(0)} ms per generation`,
);

// "songs like <artist>": offline analysis reads "like X"; X is favoured (its share capped at 30 %).
const prolific = h.library.artists
  .map((a) => ({ a, albums: h.library.albums.filter((al) => al.artistKey === a.ratingKey).length }))
  .filter((x) => x.albums >= 4 && x.a.title !== 'Various Artists')
  .slice(0, 20);
let poolShare = 0;
let listShare = 0;
let catalogue = 0;
let coverage = 0;
for (const { a } of prolific) {
  const result = await h.service.generate({ prompt: `songs like ${a.title}`, count: 100, provider: 'offline', maxTracks: 300, variety: 1 });
  const sent = h.pool.build({
    filters: result.filters,
    rank: { genres: [], styles: [], moods: [], artists: [a.title], year: null, seed: 1 },
    size: 300,
    favouredArtistShare: 0.3,
  });
  poolShare += sent.tracks.filter((t) => t.artist === a.title).length / sent.tracks.length;
  listShare += result.tracks.filter((t) => t.artist === a.title).length / result.tracks.length;
  catalogue += h.pool.count({ artists: [a.title], excludeLive: true });
  const songs = new Set(sent.ranked.filter((r) => r.track.artist === a.title && !r.track.live).map((r) => twinKey(r.track)));
  coverage += songs.size === 0 ? 1 : Math.min(1, sent.tracks.filter((t) => t.artist === a.title).length / Math.min(songs.size, 90));
}
console.log(
  `"songs like <artist>" over ${prolific.length} artists with ≥ 4 albums: ` +
    `artist's share of the pool ${((100 * poolShare) / prolific.length).toFixed(1)} %, ` +
    `of the 100-track playlist ${((100 * listShare) / prolific.length).toFixed(1)} % (MediaSage: 10 %); ` +
    `these artists have ${(catalogue / prolific.length).toFixed(0)} studio tracks on average (twins included); ` +
    `the pool holds ${((100 * coverage) / prolific.length).toFixed(0)} % of each one's distinct songs up to the 30 % cap; ` +
    `the playlist is bounded by the album cap (5 per album at 100 tracks)`,
);
await h.close();
await fake.close();
