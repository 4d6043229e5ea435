// Field shapes of an HTML form (or a query string) as the parse helper hands them over: every name maps to
// its one value, or to an array when the name is repeated. Each shape reads a field the way browsers send it.
import { z } from 'zod';

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** One text field: its first value, '' when absent. */
export const text = () => z.preprocess((value) => first(value) ?? '', z.string());

/** One text field: its first value, undefined when absent (a field sent empty is ''). */
export const maybeText = () => z.preprocess(first, z.string().optional());

/** Every value of a repeated field (checkbox groups, ordered lists). */
export const all = () => z.preprocess((value) => (value === undefined ? [] : [value].flat()), z.array(z.string()));

/** A checkbox that follows a hidden "false" field of the same name: on when any value is "true". */
export const ticked = () => all().transform((values) => values.includes('true'));

/** A checkbox sent as 1, true or on (the form has no hidden fallback). */
export const checked = () => maybeText().transform((value) => value === '1' || value === 'true' || value === 'on');

/** A query parameter that picks one of a few values; anything else is the default (links stay forgiving). */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  maybeText().transform((value): T[number] => ((values as readonly string[]).includes(value ?? '') ? (value as T[number]) : fallback));

/** A field the environment fixes: whatever is sent, it is not read. */
export const ignored = () =>
  z
    .unknown()
    .optional()
    .transform((): undefined => undefined);

/** A search box: at most 200 characters, trimmed. */
export const searchText = () => text().transform((value) => value.slice(0, 200).trim());
