// An explanation (domain explainItem, in points) as people read it: in stars. Every formula of the model
// is linear in the ratings (weighted means, gravity, the critic departure), so dividing each rating by two
// keeps the equation true; counts and weights (C, n, g) stay as they are. E.g.
//   album 3.6★ = (3 × 3.3★ + 4★ + 4.5★) / (3 + 2), prior from the artist
import type { Explanation, RatingParams } from '../../domain/rating/index.js';

/** Points as stars: 7.2 → "3.6★", 8 → "4★". */
export function stars(points: number): string {
  return `${String(Math.round((points / 2) * 100) / 100)}★`;
}

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
  if (e.kind === 'track' && e.ownership === 'opted_out') {
    return { line: 'track is opted out: you cleared the rating Sagewire gave it, so it stays unrated until you re-enable it', steps: [] };
  }
  if (e.kind === 'artist') {
    if (e.isCompilation) return { line: `${e.title} is the compilation placeholder and gets no rating`, steps: [] };
    if (e.value === null) return { line: 'artist has no value: no rated albums, no track evidence, and fill_unknown is off', steps: [] };
    if (e.albums.length === 0)
      return {
        line: `artist ${stars(e.value)} = μ (no rated albums and no track evidence)`,
        steps: [`μ ${mu} is the mean of every contributing track rating in the library.`],
      };
    const terms = e.albums.map((a) => stars(a.value)).join(' + ');
    return {
      line: `artist ${stars(e.value)} = (${e.C} × ${mu} + ${terms}) / (${e.C} + ${e.albums.length})`,
      steps: [
        `${e.C} virtual ratings at the prior μ ${mu}, plus one value per album with evidence:`,
        ...e.albums.map(
          (a) => `${a.title}: ${stars(a.value)} ${a.from === 'manual' ? '(rated by hand)' : '(estimate from its tracks rated by hand)'}`,
        ),
      ],
    };
  }
  if (e.kind === 'album') {
    if (e.value === null || e.criticAdjustedBase === null || e.base === null)
      return { line: 'album has no value: no track evidence, its artist has none, and fill_unknown is off', steps: [] };
    const p = stars(e.criticAdjustedBase);
    const line =
      e.evidence.length === 0
        ? `album ${stars(e.value)} = its prior ${p} (no track rated by hand)`
        : `album ${stars(e.value)} = (${e.C} × ${p} + ${e.evidence.map(stars).join(' + ')}) / (${e.C} + ${e.evidence.length})`;
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
        `${e.evidence.length} track${e.evidence.length === 1 ? '' : 's'} rated by hand count as evidence, ` +
          `against ${e.C} virtual ratings at the prior`,
      );
    return { line: `${line}, ${from}`, steps };
  }
  if (e.value === null) return { line: 'track has no value: its album has none', steps: [] };
  const v = stars(e.value);
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
          `× (1 − ${params.g_track}) + μ ${mu} × ${params.g_track}, album rated by hand`,
        steps: [],
      };
    default:
      return { line: `track ${v} = its album's value`, steps: [] };
  }
}
