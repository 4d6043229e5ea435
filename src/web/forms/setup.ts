// The Setup forms: how to reach Plex (URL, token, music library) and the behaviour fields. Fields the
// environment fixes are not read. A saved token is only ever sent to the URL it was saved with
// (secrets/binding.ts), so a new URL without the token typed with it is refused, against the field to fix.
import { z } from 'zod';
import { allowedUrl, comparableUrl, type SecretState } from '../../secrets/binding.js';
import { behaviourShape, behaviourValues, type BehaviourFixed } from './behaviour.js';
import { musicLibraryNames } from '../../config.js';
import { all, ignored, text } from './fields.js';

export function normalizePlexUrl(raw: string): string | null {
  const trimmed = raw.trim().replace(/\/+$/, '');
  try {
    const u = new URL(trimmed);
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) return null;
    return trimmed;
  } catch {
    return null;
  }
}

/** What to do when the URL is not the one the token in effect is bound to. */
export function tokenBoundProblem(fromEnv: boolean, allowed: string | null): string {
  if (fromEnv) {
    return (
      `PLEX_TOKEN comes from the environment and is only sent to ${allowed ?? 'the PLEX_URL set in the environment'}. ` +
      'To use another server, set PLEX_URL (and PLEX_TOKEN) in the environment.'
    );
  }
  return (
    `The saved token is only sent to the server it was saved for (${allowed}). ` +
    'To test or save another server, type its token in the token field too.'
  );
}

/** POST /setup/test: the fields as typed; what they lack is said in the connection check's result. */
export const setupTestForm = z.object({ plex_url: text(), plex_token: text().transform((t) => t.trim()), plex_library: text() });

export interface SetupContext {
  fixed: { plexUrl: boolean; plexToken: boolean; library: boolean };
  behaviourFixed: BehaviourFixed;
  /** Whether a token is saved or set, so the field may stay empty. */
  tokenSet: boolean;
  /** The token in effect before this save. */
  token: SecretState;
}

const URL_PROBLEM = 'Enter the address of your Plex server, starting with http:// or https://, like http://192.168.1.10:32400';
const LIBRARY = 'Choose the music library Sagewire should look after.';
const plexUrl = text().transform((raw, ctx) => {
  const url = normalizePlexUrl(raw);
  if (url !== null) return url;
  ctx.addIssue({ code: 'custom', message: URL_PROBLEM });
  return z.NEVER;
});
/** POST /setup: the settings rows to save (the token's binding is the handler's to record). */
export function setupForm(context: SetupContext) {
  const { fixed } = context;
  const token = text()
    .transform((value) => value.trim())
    .refine((typed) => typed !== '' || context.tokenSet, 'Paste your Plex token.')
    .refine(
      (typed) => !/\s/.test(typed) && typed.length <= 256,
      'That does not look like a Plex token (no spaces, at most 256 characters).',
    );
  return z
    .object({
      plex_url: fixed.plexUrl ? ignored() : plexUrl,
      plex_token: fixed.plexToken ? ignored() : token,
      // One library (a select or a typed name), or several (ticked boxes, kept in the order listed).
      plex_library: fixed.library
        ? ignored()
        : all()
            .transform((values) => musicLibraryNames(values.join(',')))
            .pipe(z.array(z.string().max(200, LIBRARY)).min(1, LIBRARY).max(20, 'Choose at most 20 music libraries.'))
            .transform((names) => names.join(', ')),
      ...behaviourShape(context.behaviourFixed),
    })
    .superRefine(
      (fields, ctx) => {
        // The token in effect after this save must be bound to the URL in effect after it.
        const before = context.token;
        if (fields.plex_token || !before.secret) return;
        const allowed = allowedUrl('PLEX_TOKEN', before);
        if (allowed === null || allowed === comparableUrl(fields.plex_url ?? before.url)) return;
        const field = before.secretFromEnv || fixed.plexToken ? 'plex_url' : 'plex_token';
        ctx.addIssue({ code: 'custom', path: [field], message: tokenBoundProblem(before.secretFromEnv, allowed) });
      },
      { when: (payload) => !payload.issues.some((issue) => issue.path?.[0] === 'plex_url') },
    )
    .transform((fields) => ({
      plex: {
        ...(fields.plex_url !== undefined ? { PLEX_URL: fields.plex_url } : {}),
        ...(fields.plex_token ? { PLEX_TOKEN: fields.plex_token } : {}),
        ...(fields.plex_library !== undefined ? { PLEX_MUSIC_LIBRARY: fields.plex_library } : {}),
      },
      behaviour: behaviourValues(fields),
    }));
}

/** POST /setup/plex-signin/choose: one of the connections Sign in with Plex listed, by its id. */
export const plexSignInChoiceForm = z.object({
  connection: text().pipe(z.string().regex(/^\d{1,3}-\d{1,3}$/, 'Choose one of the connections listed.')),
});
