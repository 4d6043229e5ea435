// The one way a handler reads its input: the form body (readForm, with its size limit), the query string,
// route parameters or an upload's fields go through the action's schema (src/web/forms/*), and the handler
// gets the typed value. Bad input is answered as the page always answered it: by default the status the
// schema's form uses and the first problem's text (which names the field); a page that shows every
// field's problem next to the field passes `invalid` and renders itself.
import type { Context } from 'koa';
import type { z } from 'zod';
import { readForm } from '../form-body.js';

/** A form or query as parsed: a name's one value, or its values when it is repeated. */
export type RawInput = Record<string, unknown>;

/** The first problem of each field, by field name. */
export type FieldErrors = Record<string, string>;

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; first: string };

export function rawOf(params: URLSearchParams | Record<string, unknown>): RawInput {
  if (!(params instanceof URLSearchParams)) return { ...params };
  const raw: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    raw[name] = values.length === 1 ? values[0] : values;
  }
  return raw;
}

const fieldOf = (issue: { path?: readonly PropertyKey[] }): string => (issue.path ?? []).map(String).join('.');

/** Validates without a request (tests, uploads); a problem without its own message still names its field. */
export function check<S extends z.ZodType>(schema: S, raw: RawInput): Checked<z.output<S>> {
  const result = schema.safeParse(raw, {
    error: (issue) => `${fieldOf(issue) || 'form'}: ${issue.code === 'invalid_type' ? 'missing or not a single value' : 'invalid value'}`,
  });
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) errors[fieldOf(issue)] ??= issue.message;
  return { ok: false, errors, first: result.error.issues[0].message };
}

export interface InputOptions {
  /** Where the fields come from: the form body (default), the query string, the route parameters, or fields already read. */
  from?: 'body' | 'query' | 'params' | RawInput;
  /** The status of a refused input, when nothing else answers it (default 400). */
  status?: number;
}

/**
 * The request's input, parsed by `schema`. Without `invalid`, bad input is a ctx.throw(status, first
 * problem); with it, `invalid` answers (the page again, its fields' problems shown) and the result is undefined.
 */
export async function parseInput<S extends z.ZodType>(ctx: Context, schema: S, options?: InputOptions): Promise<z.output<S>>;
export async function parseInput<S extends z.ZodType>(
  ctx: Context,
  schema: S,
  options: InputOptions & { invalid: (errors: FieldErrors, raw: RawInput) => Promise<void> | void },
): Promise<z.output<S> | undefined>;
export async function parseInput<S extends z.ZodType>(
  ctx: Context,
  schema: S,
  options: InputOptions & { invalid?: (errors: FieldErrors, raw: RawInput) => Promise<void> | void } = {},
): Promise<z.output<S> | undefined> {
  const from = options.from ?? 'body';
  const raw =
    from === 'body' ? rawOf(await readForm(ctx)) : from === 'query' ? rawOf(ctx.query) : from === 'params' ? rawOf(ctx.params ?? {}) : from;
  const checked = check(schema, raw);
  if (checked.ok) return checked.value;
  if (options.invalid) {
    await options.invalid(checked.errors, raw);
    return undefined;
  }
  ctx.throw(options.status ?? 400, checked.first);
}
