// The sign-in form and the login page's query. The form's own double-submit token is checked by the handler.
import { z } from 'zod';
import { CSRF_FIELD } from '../auth/csrf.js';
import { safeNext } from '../auth/guards.js';
import { maybeText, text } from './fields.js';

/** Where to go after signing in: a path on this site, never another origin. */
const next = maybeText().transform((value) => safeNext(value));

/** GET /login?next=&signed_out */
export const loginQuery = z.object({ next, signed_out: maybeText().transform((value) => value !== undefined) });

/** POST /login */
export const loginForm = z
  .object({ next, password: text(), [CSRF_FIELD]: text() })
  .transform((form) => ({ next: form.next, password: form.password, csrf: form[CSRF_FIELD] }));
