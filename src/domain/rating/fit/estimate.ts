// Empirical Bayes on the person's own ratings (the learned mode; docs/rating-model-learned.md).
// Confidence per level, by the method of moments on the (listening-adjusted) evidence y:
//   σ²_w  = pooled variance of ratings within albums          (albums with ≥ 2 ratings)
//   τ²_al = spread of album means around their artist's mean, less the part σ²_w/n explains
//           (around μ instead when too few artists have two albums with evidence)
//   cAlbum = σ²_w / τ²_al                                      a track rating against an album's prior
//   τ²_ar = spread of artist means around μ, less the part their albums' noise explains
//   cArtist = (τ²_al + σ²_w·mean(1/n)) / τ²_ar                 an album estimate against an artist's prior
// Listening, each slope shrunk toward 0 by its own evidence (×t²/(t² + 4), t = slope / standard error):
//   β        within albums: rating against d_t, album means removed (fixed effects)
//   γ_level, γ_unplayed   between albums: album means against the listening level of played albums and an
//                         indicator of albums never played, weighted by each mean's reliability
// Every number comes from the library given; with too little evidence a part is left out (null), and the
// caller falls back to the classic value for it. Deterministic: sums run in table order.
import type { LibraryIndex } from '../library-index.js';
import type { ModelTerms } from '../terms.js';
import type { EvidenceTable } from './evidence-table.js';

/** Below these counts a level's moments are too noisy to use. */
const MIN_WITHIN_DF = 20;
const MIN_ALBUMS = 10;
const MIN_ARTISTS = 10;
const C_RANGE = [0.1, 30] as const;

export interface ConfidenceFit {
  cAlbum: number;
  cArtist: number;
  /** The variance components, in points². */
  sigma2Within: number;
  tau2Album: number;
  tau2Artist: number;
}

export interface ListeningFit {
  beta: number;
  gammaLevel: number;
  gammaUnplayed: number;
  /** The slopes before shrinking, and their t statistics. */
  raw: { beta: number; betaT: number; gammaLevel: number; gammaLevelT: number; gammaUnplayed: number; gammaUnplayedT: number };
}

const clampC = (c: number): number => Math.min(C_RANGE[1], Math.max(C_RANGE[0], c));
const shrink = (slope: number, t: number): number => (Number.isFinite(t) ? (slope * t * t) / (t * t + 4) : 0);

/** y of every rating of the table: the rating less its listening shifts. */
export function adjustedRatings(table: EvidenceTable, terms: ModelTerms): Float64Array {
  const y = new Float64Array(table.rating.length);
  for (let j = 0; j < y.length; j++)
    y[j] = terms.shifted ? table.rating[j] - terms.evidenceAdjustMicro(table.track[j]) / 1e6 : table.rating[j];
  return y;
}

interface AlbumMoments {
  n: number[];
  mean: number[];
  sigma2: number;
  df: number;
}

function albumMoments(table: EvidenceTable, y: Float64Array): AlbumMoments {
  const n: number[] = [];
  const mean: number[] = [];
  let ss = 0;
  let df = 0;
  for (let i = 0; i < table.albums.length; i++) {
    const from = table.start[i];
    const to = table.start[i + 1];
    let sum = 0;
    for (let j = from; j < to; j++) sum += y[j];
    const m = sum / (to - from);
    for (let j = from; j < to; j++) ss += (y[j] - m) ** 2;
    n.push(to - from);
    mean.push(m);
    df += to - from - 1;
  }
  return { n, mean, sigma2: df > 0 ? ss / df : Number.NaN, df };
}

/** cAlbum and cArtist from the moments of y, or null when the library holds too little to estimate them. */
export function fitConfidence(index: LibraryIndex, table: EvidenceTable, y: Float64Array): ConfidenceFit | null {
  const m = albumMoments(table, y);
  if (m.df < MIN_WITHIN_DF || table.albums.length < MIN_ALBUMS || !(m.sigma2 > 0)) return null;
  const sigma2 = m.sigma2;
  let mu = 0;
  for (let j = 0; j < y.length; j++) mu += y[j];
  mu /= y.length;

  // Albums grouped by artist (compilations are not an artist: their albums stand alone).
  const byGroup = new Map<number, number[]>();
  table.albums.forEach((a, i) => {
    const g = index.albumGroup[a];
    if (index.groups[g].isCompilation) return;
    const list = byGroup.get(g);
    if (list) list.push(i);
    else byGroup.set(g, [i]);
  });

  let betweenSS = 0;
  let betweenNoise = 0;
  let betweenDf = 0;
  for (const list of byGroup.values()) {
    if (list.length < 2) continue;
    const groupMean = list.reduce((s, i) => s + m.mean[i], 0) / list.length;
    for (const i of list) {
      betweenSS += (m.mean[i] - groupMean) ** 2;
      betweenNoise += ((list.length - 1) / list.length) * (sigma2 / m.n[i]);
    }
    betweenDf += list.length - 1;
  }
  let tau2Album: number;
  if (betweenDf >= MIN_ALBUMS) tau2Album = (betweenSS - betweenNoise) / betweenDf;
  else {
    let ss = 0;
    let noise = 0;
    for (let i = 0; i < m.mean.length; i++) {
      ss += (m.mean[i] - mu) ** 2;
      noise += sigma2 / m.n[i];
    }
    tau2Album = (ss - noise) / (m.mean.length - 1);
  }
  const cAlbum = tau2Album > 0 ? clampC(sigma2 / tau2Album) : C_RANGE[1];
  const tau2AlbumUsed = Math.max(tau2Album, sigma2 / C_RANGE[1]);

  let artistSS = 0;
  let artistNoise = 0;
  let artists = 0;
  let inverseN = 0;
  for (let i = 0; i < m.n.length; i++) inverseN += 1 / m.n[i];
  inverseN /= m.n.length;
  for (const list of byGroup.values()) {
    const artistMean = list.reduce((s, i) => s + m.mean[i], 0) / list.length;
    const noise = list.reduce((s, i) => s + tau2AlbumUsed + sigma2 / m.n[i], 0) / list.length ** 2;
    artistSS += (artistMean - mu) ** 2;
    artistNoise += noise;
    artists += 1;
  }
  if (artists < MIN_ARTISTS) return null;
  const tau2Artist = (artistSS - artistNoise) / (artists - 1);
  const albumNoise = tau2AlbumUsed + sigma2 * inverseN;
  const cArtist = tau2Artist > 0 ? clampC(albumNoise / tau2Artist) : C_RANGE[1];
  return { cAlbum, cArtist, sigma2Within: sigma2, tau2Album, tau2Artist };
}

/** β, γ_level and γ_unplayed, or null when the library has no listening history to speak of. */
export function fitListening(index: LibraryIndex, table: EvidenceTable, cAlbumHint: number, fixedBeta?: number): ListeningFit | null {
  const listening = index.listening;
  if (listening === null) return null;
  // β: within-album regression of the rating on d_t.
  let sxy = 0;
  let sxx = 0;
  let df = 0;
  const centred: Array<[number, number]> = [];
  for (let i = 0; i < table.albums.length; i++) {
    const from = table.start[i];
    const to = table.start[i + 1];
    if (to - from < 2) continue;
    let rMean = 0;
    let dMean = 0;
    for (let j = from; j < to; j++) {
      rMean += table.rating[j];
      dMean += listening.withinAlbum[table.track[j]];
    }
    rMean /= to - from;
    dMean /= to - from;
    for (let j = from; j < to; j++) {
      const r = table.rating[j] - rMean;
      const d = listening.withinAlbum[table.track[j]] - dMean;
      sxy += r * d;
      sxx += d * d;
      centred.push([r, d]);
    }
    df += to - from - 1;
  }
  let betaRaw = 0;
  let betaT = 0;
  if (sxx > 1e-9 && df - 1 >= MIN_WITHIN_DF) {
    betaRaw = sxy / sxx;
    let rss = 0;
    for (const [r, d] of centred) rss += (r - betaRaw * d) ** 2;
    const se = Math.sqrt(rss / (df - 1) / sxx);
    betaT = se > 0 ? betaRaw / se : 0;
  }
  const beta = fixedBeta ?? shrink(betaRaw, betaT);

  // γ: album means (net of β) against [1, level − L̄ (played), never played], weighted by reliability.
  const rows: Array<{ y: number; x: [number, number, number]; w: number }> = [];
  for (let i = 0; i < table.albums.length; i++) {
    const a = table.albums[i];
    const from = table.start[i];
    const to = table.start[i + 1];
    let sum = 0;
    for (let j = from; j < to; j++) sum += table.rating[j] - beta * listening.withinAlbum[table.track[j]];
    const n = to - from;
    const played = listening.albumPlayed[a] === 1;
    rows.push({ y: sum / n, x: [1, played ? listening.albumLevel[a] - listening.playedMean : 0, played ? 0 : 1], w: n / (n + cAlbumHint) });
  }
  const unplayedRows = rows.filter((r) => r.x[2] === 1).length;
  const columns = unplayedRows >= 3 && unplayedRows <= rows.length - 3 ? [0, 1, 2] : [0, 1];
  const solved = rows.length >= MIN_ALBUMS + columns.length ? weightedLeastSquares(rows, columns) : null;
  const gammaLevelRaw = solved?.coef[1] ?? 0;
  const gammaLevelT = solved?.t[1] ?? 0;
  const gammaUnplayedRaw = columns.length === 3 ? (solved?.coef[2] ?? 0) : 0;
  const gammaUnplayedT = columns.length === 3 ? (solved?.t[2] ?? 0) : 0;
  return {
    beta,
    gammaLevel: shrink(gammaLevelRaw, gammaLevelT),
    gammaUnplayed: shrink(gammaUnplayedRaw, gammaUnplayedT),
    raw: { beta: betaRaw, betaT, gammaLevel: gammaLevelRaw, gammaLevelT, gammaUnplayed: gammaUnplayedRaw, gammaUnplayedT },
  };
}

/** Weighted least squares over the chosen columns of x: coefficients and t statistics (by column index). */
function weightedLeastSquares(
  rows: ReadonlyArray<{ y: number; x: readonly number[]; w: number }>,
  columns: readonly number[],
): { coef: number[]; t: number[] } | null {
  const k = columns.length;
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  let weightSum = 0;
  for (const row of rows) {
    weightSum += row.w;
    for (let i = 0; i < k; i++) {
      xty[i] += row.w * row.x[columns[i]] * row.y;
      for (let j = 0; j < k; j++) xtx[i][j] += row.w * row.x[columns[i]] * row.x[columns[j]];
    }
  }
  const inverse = invert(xtx);
  if (inverse === null) return null;
  const b = inverse.map((line) => line.reduce((s, v, j) => s + v * xty[j], 0));
  let rss = 0;
  for (const row of rows) {
    let fitted = 0;
    for (let i = 0; i < k; i++) fitted += b[i] * row.x[columns[i]];
    rss += row.w * (row.y - fitted) ** 2;
  }
  // Weights are reliabilities, not inverse variances: scale them to average 1 for the residual variance.
  const s2 = rss / (rows.length - k) / (weightSum / rows.length);
  const coef = [0, 0, 0];
  const t = [0, 0, 0];
  columns.forEach((column, i) => {
    coef[column] = b[i];
    const se = Math.sqrt(Math.max(0, s2 * inverse[i][i] * (weightSum / rows.length)));
    t[column] = se > 0 ? b[i] / se : 0;
  });
  return { coef, t };
}

/** Gauss–Jordan with partial pivoting; null when singular. */
function invert(matrix: number[][]): number[][] | null {
  const n = matrix.length;
  const a = matrix.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    for (let j = 0; j < 2 * n; j++) a[col][j] /= p;
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col];
      if (f !== 0) for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[col][j];
    }
  }
  return a.map((row) => row.slice(n));
}
