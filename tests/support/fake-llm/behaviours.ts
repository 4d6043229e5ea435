// What the fake model answers, drawn from the prompt it was sent: the track lines (id|artist|title|…) and
// the count asked for. Each behaviour exercises one recovery path of the pipeline. Album recommendations
// are answered the same way: clarifying questions, picks by album line id, and discovery suggestions drawn
// from the taste profile (`owned` suggests albums the prompt says are owned; `no-questions` asks nothing).
// The analysis reply carries the listening wishes the request states, as a careful model would (a negated
// "not my most played" is no wish); `loose-listening` writes them as a server without a schema might.

export type Behaviour =
  | 'good'
  | 'unknown-ids'
  | 'names'
  | 'name-text'
  | 'duplicates'
  | 'twins'
  | 'too-few'
  | 'invalid-json'
  | 'prose-json'
  | 'empty'
  | 'error-500'
  | 'model-rejected'
  | 'auth-error'
  | 'owned'
  | 'no-questions'
  | 'loose-listening';

export const RECOVERABLE: Behaviour[] = [
  'good',
  'unknown-ids',
  'names',
  'name-text',
  'duplicates',
  'twins',
  'too-few',
  'invalid-json',
  'prose-json',
  'empty',
  'error-500',
];

export interface SentLine {
  id: string;
  artist: string;
  title: string;
}

export interface PromptView {
  system: string;
  user: string;
  role: 'analysis' | 'seed' | 'generation' | 'top-up' | 'clarify' | 'albums' | 'discovery';
  count: number;
  lines: SentLine[];
}

export type Answer = { json: unknown } | { text: string } | { status: number; body: unknown };

export function viewPrompt(system: string, user: string): PromptView {
  const role = /into filters/.test(system)
    ? 'analysis'
    : /describe a piece of music/.test(system)
      ? 'seed'
      : /choose ONE album/.test(system)
        ? 'clarify'
        : /does NOT own/.test(system)
          ? 'discovery'
          : /ONE album from the person's own library/.test(system)
            ? 'albums'
            : /MORE tracks/.test(user)
              ? 'top-up'
              : 'generation';
  const count = Number(/exactly (\d+)/.exec(user)?.[1] ?? 0);
  const lines = [...user.matchAll(/^(\d+)\|([^|]*)\|([^|]*)\|/gm)].map((m) => ({ id: m[1], artist: m[2], title: m[3] }));
  return { system, user, role, count, lines };
}

const typo = (s: string): string => (s.length > 6 ? s.slice(0, 3) + s.slice(4) : s);

export function answer(view: PromptView, behaviour: Behaviour, model: string): Answer {
  if (behaviour === 'error-500') return { status: 500, body: { error: { message: 'upstream overloaded', type: 'server_error' } } };
  if (behaviour === 'model-rejected') {
    return {
      status: 404,
      body: {
        error: {
          message: `The model \`${model}\` does not exist or you do not have access to it.`,
          type: 'invalid_request_error',
          code: 'model_not_found',
        },
      },
    };
  }
  if (behaviour === 'auth-error')
    return { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'authentication_error' } } };
  if (view.role === 'analysis') return analysisAnswer(view, behaviour);
  if (view.role === 'seed') {
    return {
      json: {
        dimensions: [
          { dimension: 'mood', description: 'hazy late-night melancholy' },
          { dimension: 'era', description: 'mid-90s indie production' },
          { dimension: 'genre', description: 'guitar-led dream pop' },
          { dimension: 'tempo', description: 'unhurried, around 90 bpm' },
          { dimension: 'vocals', description: 'breathy, buried in the mix' },
        ],
      },
    };
  }
  if (view.role === 'clarify') return clarifyAnswer(behaviour);
  if (view.role === 'discovery') return discoveryAnswer(view, behaviour);
  if (view.role === 'albums') return albumAnswer(view, behaviour);
  const n = view.count;
  // A sensible model: one track per artist first, so the playlist's caps rarely bite.
  const byArtist = new Map<string, SentLine>();
  for (const line of view.lines) if (!byArtist.has(line.artist)) byArtist.set(line.artist, line);
  const pick = [...byArtist.values(), ...view.lines.filter((l) => byArtist.get(l.artist) !== l)].slice(0, n);
  const wrap = (tracks: unknown[]) => ({ json: { title: 'Rainy Day Drift', description: 'Soft and grey. Made for windows.', tracks } });
  switch (behaviour) {
    case 'good':
      return wrap(pick.map((l) => ({ id: l.id, reason: `fits: ${l.title}` })));
    case 'unknown-ids':
      return wrap(pick.map((l, i) => ({ id: i % 2 === 0 ? String(90_000 + i) : l.id, reason: 'r' })));
    case 'names':
      return wrap(pick.map((l, i) => ({ id: '', artist: l.artist, title: i % 3 === 0 ? typo(l.title) : l.title, reason: 'named' })));
    case 'name-text':
      return wrap(pick.map((l) => ({ id: `${l.artist} - ${l.title}`, reason: 'text' })));
    case 'duplicates':
      return wrap(pick.map((l, i) => ({ id: pick[i % 3]?.id ?? l.id, reason: 'dup' })));
    case 'twins':
      return wrap(
        pick.flatMap((l) => [
          { id: l.id, reason: 'a' },
          { id: `${l.artist} - ${l.title} (Remastered 2011)`, reason: 'twin' },
        ]),
      );
    case 'too-few':
      return wrap(pick.slice(0, 3).map((l) => ({ id: l.id, reason: 'few' })));
    case 'invalid-json':
      return { text: `Here you go: {"title": "Rainy", "tracks": [${pick.map((l) => `{"id": "${l.id}"`).join(', ')}` };
    case 'prose-json':
      return {
        text:
          'Sure!\n```json\n' +
          `${JSON.stringify({ title: 'Rainy', description: 'x', tracks: pick.map((l) => ({ id: l.id, reason: 'p' })) })},\n\`\`\``,
      };
    case 'empty':
      return wrap([]);
    default:
      return wrap(pick.map((l) => ({ id: l.id, reason: `fits: ${l.title}` })));
  }
}

/** "haven't heard in 2 years", "in ages", "never played", "most played" (unless "not my most played"). */
function wishesOf(request: string): { neverPlayed: boolean; mostPlayed: boolean; notPlayedMonths: number | null } {
  const span = /(?:n['’]?t|not|never) (?:heard|played|listened to)\b.*?\b(?:in|for) (a|an|\d+) (year|month)/i.exec(request);
  const months = span
    ? (/^\d/.test(span[1]) ? Number(span[1]) : 1) * (span[2].toLowerCase() === 'year' ? 12 : 1)
    : /(?:n['’]?t|not) (?:heard|played)\b.*?\b(?:in ages|in a while)/i.test(request)
      ? 6
      : null;
  return {
    neverPlayed: months === null && /never (?:played|heard)|haven['’]?t (?:heard|played)/i.test(request),
    mostPlayed: /most played/i.test(request) && !/\bnot (?:my |the )?most played/i.test(request),
    notPlayedMonths: months,
  };
}

function analysisAnswer(view: PromptView, behaviour: Behaviour): Answer {
  const wishes = wishesOf(/^Request: (.*)$/m.exec(view.user)?.[1] ?? '');
  const filters = {
    genres: [],
    styles: [],
    moods: ['Melancholy'],
    artists: [],
    likeArtists: [],
    decades: [],
    keywords: ['rainy'],
    excludeLive: true,
    minRating: null,
  };
  if (behaviour === 'loose-listening')
    return { json: { ...filters, mostPlayed: 'often', listening: { notPlayedMonths: String(wishes.notPlayedMonths ?? 12) } } };
  return { json: { ...filters, ...wishes } };
}

function clarifyAnswer(behaviour: Behaviour): Answer {
  if (behaviour === 'no-questions' || behaviour === 'empty') return { json: { questions: [] } };
  if (behaviour === 'invalid-json') return { text: '{"questions": [{"question": "Calm' };
  return {
    json: {
      questions: [
        { question: 'Calm or lively?', choices: ['Calm', 'Lively'] },
        { question: 'Voices or instrumental?', choices: ['Voices', 'Instrumental', 'Either'] },
      ],
    },
  };
}

/** Picks among the album lines (id|artist|album|…): the first `count` by id, or one recovery path. */
function albumAnswer(view: PromptView, behaviour: Behaviour): Answer {
  const pick = view.lines.slice(0, view.count || 3);
  const wrap = (albums: unknown[]) => ({ json: { albums } });
  switch (behaviour) {
    case 'unknown-ids':
      return wrap(pick.map((l, i) => ({ id: i === 0 ? l.id : String(90_000 + i), pitch: 'r' })));
    case 'names':
      return wrap(pick.map((l, i) => ({ id: '', artist: l.artist, title: i === 1 ? typo(l.title) : l.title, pitch: `named: ${l.title}` })));
    case 'name-text':
      return wrap(pick.map((l) => ({ id: `${l.artist} - ${l.title}`, pitch: 'text' })));
    case 'twins':
      return wrap(pick.map((l) => ({ id: '', artist: l.artist, title: `${l.title} (Remastered)`, pitch: 'twin' })));
    case 'duplicates':
      return wrap(pick.map(() => ({ id: pick[0]?.id ?? '1', pitch: 'dup' })));
    case 'too-few':
      return wrap(pick.slice(0, 1).map((l) => ({ id: l.id, pitch: 'few' })));
    case 'invalid-json':
      return { text: `Here: {"albums": [${pick.map((l) => `{"id": "${l.id}"`).join(', ')}` };
    case 'prose-json':
      return { text: `Sure!\n\`\`\`json\n${JSON.stringify({ albums: pick.map((l) => ({ id: l.id, pitch: 'p' })) })},\n\`\`\`` };
    case 'empty':
      return wrap([]);
    default:
      return wrap(pick.map((l) => ({ id: l.id, pitch: `Fits the request: ${l.title} by ${l.artist}.` })));
  }
}

const listAfter = (user: string, label: string): string[] =>
  (new RegExp(`^${label}[^:]*: (.*)$`, 'm').exec(user)?.[1] ?? '')
    .split('; ')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none' && s !== 'unknown');

/** Albums "like" the loved artists, never one already shown; `owned` leads with albums the prompt says are owned. */
function discoveryAnswer(view: PromptView, behaviour: Behaviour): Answer {
  const count = view.count || 3;
  const artists = listAfter(view.user, 'Their most loved artists');
  const shown = new Set(listAfter(view.user, 'Already shown').map((s) => s.toLowerCase()));
  const owned = listAfter(view.user, 'Albums they own').map((s) => {
    const [artist, title] = s.split(' – ');
    return { artist, title };
  });
  const fresh: { artist: string; title: string }[] = [];
  for (let k = 1; fresh.length < count + 3 && k < 100; k++) {
    const candidate = { artist: `${artists[k % Math.max(1, artists.length)] ?? 'Someone'} Collective`, title: `Imagined Album ${k}` };
    if (!shown.has(`${candidate.artist} – ${candidate.title}`.toLowerCase())) fresh.push(candidate);
  }
  const wrap = (list: { artist: string; title: string }[]) => ({
    json: { albums: list.map((a, i) => ({ ...a, year: 1990 + i, pitch: `Like ${artists[0] ?? 'what you love'}, but new to you.` })) },
  });
  switch (behaviour) {
    case 'owned':
      return wrap([...owned.slice(0, 2), ...fresh].slice(0, count));
    case 'duplicates':
      return wrap([fresh[0], fresh[0], fresh[0]]);
    case 'too-few':
      return wrap(fresh.slice(0, 1));
    case 'empty':
      return wrap([]);
    case 'invalid-json':
      return { text: '{"albums": [{"artist": "Half' };
    default:
      return wrap(fresh.slice(0, count));
  }
}
