// The Settings page's forms: model parameters, behaviour (forms/behaviour.ts), password, playlist settings, prices.
// The model parameters and the playlist settings are then checked as a whole by the rating domain and the
// configuration (a saved value can never stop Sagewire from starting); these schemas read the fields.
import { z } from 'zod';
import { MODEL_PROVIDERS, modelSettingName } from '../services/playlist-llm-settings.js';
import { PARAM_FIELDS, fieldId, type ParamKind } from '../services/model-settings.js';
import { all, text, ticked } from './fields.js';
import type { RawInput } from './parse.js';

/** One parameter's field as the browser sends it: a checkbox as "true" or "false", a checkbox group as its ticked values, comma-separated. */
const paramField = (kind: ParamKind) =>
  kind === 'boolean' ? ticked().transform(String) : kind === 'kinds' ? all().transform((values) => values.join(', ')) : text();

/** POST /settings/model: each parameter's text by its dotted name. */
export const modelForm = z
  .object(Object.fromEntries(PARAM_FIELDS.map((field) => [fieldId(field.name), paramField(field.kind)])))
  .transform((fields) => Object.fromEntries(PARAM_FIELDS.map((field) => [field.name, fields[fieldId(field.name)] as string])));

/** POST /settings/password */
export const passwordForm = z
  .object({ current_password: text(), new_password: text(), confirm_password: text() })
  .transform((f) => ({ current: f.current_password, next: f.new_password, confirm: f.confirm_password }));

const MODEL_NAME = 'a model name has no spaces and at most 200 characters';
const modelName = text().refine((value) => value.trim().length <= 200 && !/\s/.test(value.trim()), MODEL_NAME);

/** POST /settings/playlists: the model names' own shape; the rest is the configuration's to judge. */
export const playlistSettingsForm = z.object(
  Object.fromEntries(
    MODEL_PROVIDERS.flatMap((p) =>
      (['analysis', 'generation'] as const).map((role) => [modelSettingName(p, role).toLowerCase(), modelName]),
    ),
  ),
);

/** One row of the price table as the browser sent it (text as typed), `index` being its field suffix. */
export interface PriceRowInput {
  index: number;
  provider: string;
  model: string;
  input: string;
  output: string;
  remove: boolean;
}

/** Enough rows for any price list; more is not a person typing. */
export const MAX_PRICE_ROWS = 100;
const MAX_PRICE = 10_000;
const PRICE_FIELD = /^price_(provider|model|input|output|remove)_(\d{1,3})$/;

/** The price table's rows, from `price_<column>_<n>` fields, in their order on the page. */
export function priceRowsOf(raw: RawInput): PriceRowInput[] {
  const indexes = new Set<number>();
  for (const name of Object.keys(raw)) {
    const match = PRICE_FIELD.exec(name);
    if (match) indexes.add(Number(match[2]));
  }
  const one = (name: string): string => {
    const value = raw[name];
    return (Array.isArray(value) ? String(value[0] ?? '') : typeof value === 'string' ? value : '').trim();
  };
  return [...indexes]
    .sort((a, b) => a - b)
    .map((index) => ({
      index,
      provider: one(`price_provider_${index}`),
      model: one(`price_model_${index}`),
      input: one(`price_input_${index}`),
      output: one(`price_output_${index}`),
      remove: ['true', 'on', '1'].includes(one(`price_remove_${index}`)),
    }));
}

const DECIMAL = /^(\d+(\.\d*)?|\.\d+)$/;

/** A price as typed: dollars per million tokens, 0 or more; the problem in words otherwise. */
function priceOf(text: string): number | string {
  if (text === '') return 'is required (0 for free)';
  if (/^-/.test(text) && DECIMAL.test(text.slice(1))) return 'must be 0 or more';
  if (!DECIMAL.test(text)) return 'must be a number of dollars, like 0.25';
  const value = Number(text);
  return value > MAX_PRICE ? `must be at most ${MAX_PRICE.toLocaleString('en-US')}` : value;
}

/** A blank row (the page always offers one to add a model) or a row marked "remove" is not part of the table. */
const isSkipped = (row: PriceRowInput): boolean => row.remove || (row.model === '' && row.input === '' && row.output === '');

/**
 * POST /settings/prices: the rows as the cost code reads them, `{provider: {model: {input, output}}}` (null: no overrides).
 * Each problem is named by its field (`price_input_2`) and says which row it is.
 */
export const priceTableForm = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
  const rows = priceRowsOf(raw);
  const problem = (field: string, message: string) => ctx.issues.push({ code: 'custom', path: [field], message, input: raw[field] });
  if (rows.length > MAX_PRICE_ROWS) problem('price_model_0', `at most ${MAX_PRICE_ROWS} rows`);
  const table: Record<string, Record<string, { input: number; output: number }>> = {};
  const seen = new Set<string>();
  rows.forEach((row, n) => {
    if (isSkipped(row)) return;
    const where = `row ${n + 1}${row.model ? ` (${row.model})` : ''}`;
    if (!(MODEL_PROVIDERS as readonly string[]).includes(row.provider)) {
      problem(`price_provider_${row.index}`, `${where}: choose one of ${MODEL_PROVIDERS.join(', ')}, or tick “Remove”`);
    }
    if (row.model === '') problem(`price_model_${row.index}`, `${where}: the model's name is required`);
    else if (row.model.length > 200 || /\s/.test(row.model)) problem(`price_model_${row.index}`, `${where}: ${MODEL_NAME}`);
    else if (seen.has(`${row.provider} ${row.model}`)) {
      problem(`price_model_${row.index}`, `${where}: ${row.provider} ${row.model} is already priced in an earlier row`);
    }
    seen.add(`${row.provider} ${row.model}`);
    const input = priceOf(row.input);
    const output = priceOf(row.output);
    if (typeof input === 'string') problem(`price_input_${row.index}`, `${where}: the input price ${input}`);
    if (typeof output === 'string') problem(`price_output_${row.index}`, `${where}: the output price ${output}`);
    if (typeof input === 'number' && typeof output === 'number' && row.model) {
      table[row.provider] ??= {};
      table[row.provider][row.model] = { input, output };
    }
  });
  return Object.keys(table).length > 0 ? table : null;
});
