// An explanation (domain explainItem, in points) as people read it: in stars. Every formula of the model
// is linear in the ratings (weighted means, gravity, the critic departure), so dividing each rating by two
// keeps the equation true; counts and weights (C, n, g) stay as they are. E.g.
//   album 3.6★ = (2.4 × 3.3★ + 4★ + 4.5★) / (2.4 + 2), prior from the artist
// C is the fitted confidence (cAlbum for an album, cArtist for an artist), not necessarily a whole number.
// With listening in the model an album or artist also moves with how much it is played; the formula shows
// that as its own term, the difference between the value and the weighted mean, so the equation stays true.
import { playedLine, type Explanation, type RatingParams } from '../../domain/rating/index.js';

/** Points as stars: 7.2 → "3.6★", 8 → "4★". */
export function stars(points: number): string {
  return `${String(Math.round((points / 2) * 100) / 100)}★`;
}

/** Points as a signed change in stars: 0.6 → "+0.3★", −0.31 → "−0.16★". */
function signedStars(points: number): string {
  return `${points < 0 ? '−' : '+'}${stars(Math.abs(points))}`;
}

/** A count or weight with at most two decimals: 2.3456 → "2.35", 3 → "3". */
const weight = (n: number): string => String(Math.round(n * 100) / 100);

/** Below this (points) a difference between the value and its weighted mean is rounding, not listening. */
const LISTENING_SHOWN = 0.01;

/** Why the all-excluded fallback exists, said the same way on the album and on its tracks (RATING-MODEL.md, "Evidence"). */
export const ALL_EXCLUDED_FALLBACK =
  'an album whose rated tracks are all excluded is not left without evidence (the all-excluded fallback)';

export interface StarExplanation {
  /** The one-line formula. */
  line: string;
  /** Further steps, one sentence each. */
  steps: string[];
}

export function explainInStars(
  e: Explanation,
  params: RatingParams,
  context: { mu: number; albumManual?: number | null },
): StarExplanation {
  const mu = stars(context.mu);
  if (e.ownership === 'manual') return { line: `${e.kind} ${stars(e.value!)} is rated by hand; Sagewire never changes it`, steps: [] };
  // Excluded by genre, artist or album: the domain's sentence says so and has no numbers to convert.
  if (/excluded from inference/.test(e.line)) return { line: e.line, steps: [] };
  if (e.kind === 'track' && e.ownership === 'opted_out') {
    return { line: 'track is opted out: you cleared the rating Sagewire gave it, so it stays unrated until you re-enable it', steps: [] };
  }
  if (e.kind === 'artist') {
    if (e.isCompilation) return { line: `${e.title} is the compilation placeholder and gets no rating`, steps: [] };
    if (e.value === null) return { line: 'artist has no value: no rated albums, no track evidence, and fill_unknown is off', steps: [] };
    if (e.albums.length === 0) {
      const listened = listeningPart(e.value - e.mu, params);
      return {
        line: `artist ${stars(e.value)} = μ${listened.term} (no rated albums and no track evidence)`,
        steps: [
          `μ ${mu} is the mean of every contributing track rating in the library.`,
          ...(listened.term ? [`Listening moves the artist ${listened.shift}: how much its albums are played.`] : []),
          ...kindStep(e, params),
        ],
      };
    }
    const terms = e.albums.map((a) => stars(a.value)).join(' + ');
    const C = weight(e.C);
    const mean = (e.C * e.mu + e.albums.reduce((sum, a) => sum + a.value, 0)) / (e.C + e.albums.length);
    const listened = listeningPart(e.value - mean, params);
    return {
      line: `artist ${stars(e.value)} = (${C} × ${mu} + ${terms}) / (${C} + ${e.albums.length})${listened.term}`,
      steps: [
        `The prior μ ${mu} counts as ${C} ratings (${confidence(params)}), plus one value per album with evidence:`,
        ...e.albums.map(
          (a) => `${a.title}: ${stars(a.value)} ${a.from === 'manual' ? '(rated by hand)' : '(estimate from its tracks rated by hand)'}`,
        ),
        ...(listened.term ? [`Listening moves the artist ${listened.shift}: how much its albums are played.`] : []),
        ...kindStep(e, params),
      ],
    };
  }
  if (e.kind === 'album') {
    if (e.value === null || e.criticAdjustedBase === null || e.base === null)
      return { line: 'album has no value: no track evidence, its artist has none, and fill_unknown is off', steps: [] };
    const p = stars(e.criticAdjustedBase);
    const C = weight(e.C);
    const mean =
      e.evidence.length === 0
        ? e.criticAdjustedBase
        : (e.C * e.criticAdjustedBase + e.evidence.reduce((sum, r) => sum + r, 0)) / (e.C + e.evidence.length);
    const listened = listeningPart(e.value - mean, params);
    const line =
      e.evidence.length === 0
        ? `album ${stars(e.value)} = its prior ${p}${listened.term} (no track rated by hand)`
        : `album ${stars(e.value)} = (${C} × ${p} + ${e.evidence.map(stars).join(' + ')}) / (${C} + ${e.evidence.length})${listened.term}`;
    const from =
      e.baseSource === 'artist inferred'
        ? 'prior from the artist'
        : e.baseSource === 'artist manual with gravity'
          ? 'prior from the artist rated by hand, pulled toward μ'
          : 'prior μ';
    const steps: string[] = [];
    if (e.baseSource === 'artist manual with gravity') {
      steps.push(`prior ${stars(e.base)} = artist × (1 − ${params.g_album}) + μ ${mu} × ${params.g_album}`);
    } else if (e.baseSource === 'artist inferred') steps.push(`the artist's value ${stars(e.base)} is the album's prior`);
    else steps.push(`μ ${mu} (the library's mean) is the album's prior`);
    if (e.critic !== null && e.kappa !== null && e.W_critic > 0) {
      steps.push(
        `critics gave ${stars(e.critic)} against their average ${stars(e.kappa)}: ` +
          `the prior moves from ${stars(e.base)} to ${p} (weights ${e.W_global} : ${e.W_critic})`,
      );
    }
    if (e.evidence.length > 0)
      steps.push(
        `${e.evidence.length} track${e.evidence.length === 1 ? ' rated by hand counts' : 's rated by hand count'} as evidence; ` +
          `the prior counts as ${C} ratings (${confidence(params)})`,
      );
    if (e.allExcludedFallback)
      steps.push(
        'Every track of this album rated by hand is excluded from evidence (shorter than the minimum, or a word such as ' +
          `"intro" or "outro" in its title), so all of them count: ${ALL_EXCLUDED_FALLBACK}.`,
      );
    if (listened.term) {
      steps.push(
        `Listening moves the album ${listened.shift}: how much it is played against your average album` +
          `${e.evidence.length > 0 ? ', and its rated tracks count net of how much more they are played than the rest of it' : ''}.`,
      );
    }
    steps.push(...kindStep(e, params));
    return { line: `${line}, ${from}`, steps };
  }
  if (e.value === null) return { line: 'track has no value: its album has none', steps: [] };
  const v = stars(e.value);
  const explained = trackInStars(e, params, context, v);
  // Its plays and skips against its album's: the step that makes "played more than its album-mates" visible.
  if (e.listening && (e.source === 'album' || e.source === 'album manual with gravity')) {
    explained.steps.push(`${playedLine(e.listening)}: ${signedStars(e.listening.shift)} against its album`);
  }
  explained.steps.push(...kindStep(e, params));
  return explained;
}

function trackInStars(
  e: Extract<Explanation, { kind: 'track' }>,
  params: RatingParams,
  context: { mu: number; albumManual?: number | null },
  v: string,
): StarExplanation {
  const mu = stars(context.mu);
  const shift = e.listening?.shift ?? 0;
  const listened = e.listening ? ` ${signedStars(shift)} from listening` : '';
  switch (e.source) {
    case 'twins rated by hand': {
      const anchors = e.twins.filter((t) => t.manual);
      return {
        line: `track ${v} = mean of its twins rated by hand`,
        steps: anchors.map((t) => `${t.title} (same recording on another album) is rated by hand`),
      };
    }
    case 'twins': {
      const copies = e.twins.filter((t) => t.fromAlbum !== null);
      return {
        line:
          `track ${v} = (${copies.map((t) => stars(t.fromAlbum!)).join(' + ')}) / ${copies.length}, ` +
          "the mean of its copies' album values",
        steps: ['Every copy of the same recording carries the same rating.'],
      };
    }
    case 'album manual with gravity':
      return {
        line:
          `track ${v} = ${context.albumManual != null ? stars(context.albumManual) : 'album'} ` +
          `× (1 − ${params.g_track}) + μ ${mu} × ${params.g_track}${listened}, album rated by hand`,
        steps: [],
      };
    default:
      return {
        line: e.listening ? `track ${v} = its album's value ${stars(e.value! - shift)}${listened}` : `track ${v} = its album's value`,
        steps: [],
      };
  }
}

/** The difference between a value and its weighted mean, when listening explains it. */
function listeningPart(difference: number, params: RatingParams): { term: string; shift: string } {
  if (params.listening === 'off' || Math.abs(difference) < LISTENING_SHOWN) return { term: '', shift: '' };
  return { term: ` ${signedStars(difference)} from listening`, shift: signedStars(difference) };
}

/** Where the confidence C comes from, in a few words. */
function confidence(params: RatingParams): string {
  return typeof params.C === 'number' ? 'the confidence C set in Settings' : 'the confidence C, chosen from your ratings: see Reports';
}

/** A value Sagewire computes but does not write, because its kind is kept out of inference. */
function kindStep(e: Explanation, params: RatingParams): string[] {
  if (e.ownership !== 'computed' || e.value === null || params.infer.kinds.includes(e.kind)) return [];
  return [`Sagewire does not write this value: ${e.kind}s are kept out of inference (infer.kinds in Settings).`];
}
