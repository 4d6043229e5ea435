// The price table's form: rows of provider, model and two prices become the LLM_PRICES JSON the cost code
// reads; a blank or removed row is no part of it; each bad value is refused by its own field, naming its row.
import { describe, expect, it } from 'vitest';
import { priceOf } from '../../../src/domain/playlist/index.js';
import { check } from '../../../src/web/forms/parse.js';
import { priceRowsOf, priceTableForm, MAX_PRICE_ROWS } from '../../../src/web/forms/settings.js';

type Row = [provider: string, model: string, input: string, output: string, remove?: boolean];
const form = (...rows: Row[]) =>
  Object.fromEntries(
    rows.flatMap(([provider, model, input, output, remove], i) => [
      [`price_provider_${i}`, provider],
      [`price_model_${i}`, model],
      [`price_input_${i}`, input],
      [`price_output_${i}`, output],
      ...(remove ? [[`price_remove_${i}`, 'true']] : []),
    ]),
  );
const blank: Row = ['openai', '', '', ''];

describe('price table form: valid tables', () => {
  const cases: { name: string; rows: Row[]; table: unknown }[] = [
    { name: 'no rows at all: no overrides', rows: [], table: null },
    { name: 'only the blank row: no overrides', rows: [blank], table: null },
    {
      name: 'one row, the blank row ignored',
      rows: [['openai', 'gpt-5-mini', '0.3', '2.5'], blank],
      table: { openai: { 'gpt-5-mini': { input: 0.3, output: 2.5 } } },
    },
    {
      name: 'rows grouped by provider, free models, decimals without a leading zero, spaces trimmed',
      rows: [
        ['anthropic', 'claude-haiku-4-5', '1', '5'],
        ['openai-compatible', 'llama3.1:8b', '0', '0'],
        ['anthropic', 'claude-x', ' .5 ', '7.'],
      ],
      table: {
        anthropic: { 'claude-haiku-4-5': { input: 1, output: 5 }, 'claude-x': { input: 0.5, output: 7 } },
        'openai-compatible': { 'llama3.1:8b': { input: 0, output: 0 } },
      },
    },
    {
      name: 'a removed row is dropped, even when its values are bad',
      rows: [
        ['openai', 'gpt-old', '-1', 'x', true],
        ['gemini', 'gemini-2.5-flash', '0.3', '2.5'],
      ],
      table: { gemini: { 'gemini-2.5-flash': { input: 0.3, output: 2.5 } } },
    },
    {
      name: 'the same model name under two providers is two rows',
      rows: [
        ['openai', 'shared', '1', '2'],
        ['openai-compatible', 'shared', '0', '0'],
      ],
      table: { openai: { shared: { input: 1, output: 2 } }, 'openai-compatible': { shared: { input: 0, output: 0 } } },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(check(priceTableForm, form(...c.rows))).toEqual({ ok: true, value: c.table });
    });
  }

  it('saves what the cost code reads: the JSON round-trips to the prices the estimate uses', () => {
    const checked = check(priceTableForm, form(['openai', 'gpt-5-mini', '0.3', '2.5']));
    if (!checked.ok) throw new Error(checked.first);
    const table = JSON.parse(JSON.stringify(checked.value));
    expect(priceOf(table, 'openai', 'gpt-5-mini-2025-08-07')).toEqual({ input: 0.3, output: 2.5 });
  });
});

describe('price table form: refused with a problem per field', () => {
  const cases: { name: string; rows: Row[]; errors: Record<string, string> }[] = [
    {
      name: 'a negative price',
      rows: [['openai', 'gpt-5-mini', '-0.25', '2']],
      errors: { price_input_0: 'row 1 (gpt-5-mini): the input price must be 0 or more' },
    },
    {
      name: 'prices that are not numbers',
      rows: [['openai', 'gpt-5-mini', 'cheap', '1e3']],
      errors: {
        price_input_0: 'row 1 (gpt-5-mini): the input price must be a number of dollars, like 0.25',
        price_output_0: 'row 1 (gpt-5-mini): the output price must be a number of dollars, like 0.25',
      },
    },
    {
      name: 'a missing price',
      rows: [['openai', 'gpt-5-mini', '1', '']],
      errors: { price_output_0: 'row 1 (gpt-5-mini): the output price is required (0 for free)' },
    },
    {
      name: 'a price too large to be meant',
      rows: [['openai', 'gpt-5-mini', '10001', '1']],
      errors: { price_input_0: 'row 1 (gpt-5-mini): the input price must be at most 10,000' },
    },
    {
      name: 'prices without a model name',
      rows: [
        ['openai', 'gpt-5-mini', '1', '2'],
        ['gemini', '', '0.1', '0.4'],
      ],
      errors: { price_model_1: "row 2: the model's name is required" },
    },
    {
      name: 'a model name with a space',
      rows: [['openai', 'gpt 5', '1', '2']],
      errors: { price_model_0: 'row 1 (gpt 5): a model name has no spaces and at most 200 characters' },
    },
    {
      name: 'the same model twice',
      rows: [
        ['openai', 'gpt-5-mini', '1', '2'],
        ['anthropic', 'claude-haiku-4-5', '1', '5'],
        ['openai', 'gpt-5-mini', '3', '4'],
      ],
      errors: { price_model_2: 'row 3 (gpt-5-mini): openai gpt-5-mini is already priced in an earlier row' },
    },
    {
      name: 'a provider Sagewire does not know',
      rows: [['ollama', 'llama3', '0', '0']],
      errors: { price_provider_0: 'row 1 (llama3): choose one of openai, anthropic, gemini, openai-compatible, or tick “Remove”' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const checked = check(priceTableForm, form(...c.rows));
      expect(checked.ok).toBe(false);
      if (!checked.ok) expect(checked.errors).toEqual(c.errors);
    });
  }

  it('refuses more rows than any price list needs', () => {
    const rows = Array.from({ length: MAX_PRICE_ROWS + 1 }, (_, i): Row => ['openai', `m${i}`, '1', '1']);
    const checked = check(priceTableForm, form(...rows));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors.price_model_0).toBe(`at most ${MAX_PRICE_ROWS} rows`);
  });
});

describe('price rows as sent', () => {
  it('reads rows by their field suffix, in order, ignoring other fields and repeated values beyond the first', () => {
    const raw = {
      _csrf: 'x',
      price_model_10: 'b',
      price_input_10: '2',
      price_provider_2: ['gemini', 'openai'],
      price_model_2: ' a ',
      price_remove_2: 'true',
      price_model_x: 'ignored',
    };
    expect(priceRowsOf(raw)).toEqual([
      { index: 2, provider: 'gemini', model: 'a', input: '', output: '', remove: true },
      { index: 10, provider: '', model: 'b', input: '2', output: '', remove: false },
    ]);
  });
});
