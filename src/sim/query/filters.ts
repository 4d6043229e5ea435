// `…/all` filters and sorts, parsed from the raw query so operator keys survive percent-encoding
// (`userRating%3E%3E=5` is `userRating>>` = `5`). Operators: `=` `!=` `>>=` `<<=` for numbers and dates
// (strict), `=` contains / `!=` / `==` is / `!==` / `<=` begins / `>=` ends for strings, `=`/`!=` for tags
// (ids or names). Comma-separated values: any of them (`=`) or none of them (`!=`).
import type { SimState, ItemRef, ItemType } from '../state/state.js';
import type { SimSection } from '../state/section.js';
import { resolveField, foldText, type FieldDef, type FieldValue } from './fields.js';
import { BadRequest } from '../render/respond.js';

/** Parameters that shape the answer but are not filters. */
const NON_FILTERS = new Set([
  'type',
  'sort',
  'includeGuids',
  'includeMeta',
  'includeAdvanced',
  'includeCollections',
  'includeExternalMedia',
  'includeDetails',
  'checkFiles',
  'asyncAugmentMetadata',
  'excludeAllLeaves',
  'limit',
  'group',
  'having',
  'push',
  'pop',
  'and',
  'or',
  'query',
  'sectionId',
  'includeFields',
  'excludeFields',
  'uri',
]);

/** The query string as ordered (key, value) pairs, each part decoded once. */
export function rawPairs(querystring: string): [string, string][] {
  const pairs: [string, string][] = [];
  if (!querystring) return pairs;
  for (const part of querystring.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const rawKey = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    pairs.push([decode(rawKey), decode(rawValue)]);
  }
  return pairs;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new BadRequest(`malformed query component: ${s}`);
  }
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, mon: 2_592_000, y: 31_536_000 };

export function parseDate(value: string, now: number): number {
  const rel = value.match(/^-?(\d+)(mon|[smhdwy])$/);
  if (rel) return now - Number(rel[1]) * UNITS[rel[2]];
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const day = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (day) return Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])) / 1000;
  throw new BadRequest(`bad date value: ${value}`);
}

type Predicate = (ref: ItemRef) => boolean;

function valueTest(state: SimState, def: FieldDef, op: string, rawValues: string[], key: string): (v: FieldValue) => boolean {
  const now = state.clock();
  switch (def.kind) {
    case 'integer':
    case 'date': {
      const nums = rawValues.map((raw) => {
        if (def.kind === 'date') return parseDate(raw, now);
        const n = Number(raw);
        if (raw === '' || !Number.isFinite(n)) throw new BadRequest(`bad value for ${key}: ${raw}`);
        return n;
      });
      const same =
        def.kind === 'date'
          ? (a: number, b: number) => Math.floor(a / 86_400) === Math.floor(b / 86_400)
          : (a: number, b: number) => a === b;
      switch (op) {
        case '=':
          return (v) => typeof v === 'number' && nums.some((n) => same(v, n));
        case '!=':
          return (v) => typeof v !== 'number' || !nums.some((n) => same(v, n));
        case '>>=':
          return (v) => typeof v === 'number' && v > nums[0];
        case '<<=':
          return (v) => typeof v === 'number' && v < nums[0];
        case '>=':
          return (v) => typeof v === 'number' && v >= nums[0];
        case '<=':
          return (v) => typeof v === 'number' && v <= nums[0];
      }
      break;
    }
    case 'string': {
      const wanted = rawValues.map(foldText);
      const text = (v: FieldValue): string => (typeof v === 'string' ? foldText(v) : '');
      switch (op) {
        case '=':
          return (v) => wanted.some((w) => text(v).includes(w));
        case '!=':
          return (v) => !wanted.some((w) => text(v).includes(w));
        case '==':
          return (v) => wanted.some((w) => text(v) === w);
        case '!==':
          return (v) => !wanted.some((w) => text(v) === w);
        case '<=':
          return (v) => wanted.some((w) => text(v).startsWith(w));
        case '>=':
          return (v) => wanted.some((w) => text(v).endsWith(w));
      }
      break;
    }
    case 'tag': {
      const names = rawValues.map((raw) => {
        if (/^\d+$/.test(raw)) return state.tags.byTagId(Number(raw))?.name.toLowerCase() ?? '\u0000no-such-tag';
        return raw.toLowerCase();
      });
      const has = (v: FieldValue): boolean => Array.isArray(v) && v.some((t) => names.includes(t.toLowerCase()));
      if (op === '=' || op === '==') return has;
      if (op === '!=' || op === '!==') return (v) => !has(v);
      break;
    }
  }
  throw new BadRequest(`operator ${op} is not valid for ${key}`);
}

type SortKey = number | string | undefined;
interface CompiledSort {
  keyOf: (ref: ItemRef) => SortKey[];
  compare: (a: SortKey[], b: SortKey[]) => number;
}

export interface CompiledQuery {
  predicates: Predicate[];
  sort?: CompiledSort;
  limit?: number;
  signature: string;
}

export function compileQuery(state: SimState, type: ItemType, pairs: [string, string][]): CompiledQuery {
  const predicates: Predicate[] = [];
  const signatureParts: string[] = [];
  let sort: CompiledQuery['sort'];
  let limit: number | undefined;
  for (const [rawKey, rawValue] of pairs) {
    if (rawKey.startsWith('X-Plex-')) continue;
    if (rawKey === 'sort') {
      sort = compileSort(state, type, rawValue);
      signatureParts.push(`sort=${rawValue}`);
      continue;
    }
    if (rawKey === 'limit') {
      limit = Number(rawValue);
      if (!Number.isInteger(limit) || limit < 0) throw new BadRequest('limit must be a non-negative integer');
      signatureParts.push(`limit=${rawValue}`);
      continue;
    }
    if (NON_FILTERS.has(rawKey)) continue;
    const m = rawKey.match(/^([A-Za-z.]+?)([!<>=]*)$/);
    if (!m) throw new BadRequest(`bad filter key: ${rawKey}`);
    let op = `${m[2]}=`;
    let value = rawValue;
    if (op === '=' && value.startsWith('=')) {
      op = '==';
      value = value.slice(1);
    } // unencoded `title==x`
    const field = resolveField(state, type, m[1]);
    if (!field) {
      if (m[2] === '' && !m[1].includes('.')) continue; // unknown plain parameters are ignored, as Plex does
      throw new BadRequest(`unknown filter field: ${m[1]}`);
    }
    const test = valueTest(state, field.def, op, value.split(','), m[1]);
    const { def, related } = field;
    predicates.push(
      related === null
        ? (ref) => test(def.get(state, ref))
        : field.many
          ? op.startsWith('!')
            ? (ref) => related(ref).every((r) => test(def.get(state, r)))
            : (ref) => related(ref).some((r) => test(def.get(state, r)))
          : (ref) => test(def.get(state, related(ref)[0])),
    );
    signatureParts.push(`${m[1]}${op}${value}`);
  }
  return { predicates, sort, limit, signature: `${type}|${signatureParts.join('&')}` };
}

function compileSort(state: SimState, type: ItemType, spec: string): CompiledSort {
  const keys = spec
    .split(',')
    .filter(Boolean)
    .map((part) => {
      const [name, dir = 'asc'] = part.split(':');
      const field = resolveField(state, type, name);
      if (!field || field.many) throw new BadRequest(`unknown sort field: ${name}`);
      if (!['asc', 'desc', 'nullsLast'].includes(dir)) throw new BadRequest(`bad sort direction: ${dir}`);
      const get = (ref: ItemRef): SortKey => {
        const v = field.def.get(state, field.related ? field.related(ref)[0] : ref);
        return v === undefined || Array.isArray(v) ? undefined : typeof v === 'string' ? foldText(v) : v;
      };
      return { get, desc: dir === 'desc', nullsLast: dir !== 'asc' };
    });
  return {
    keyOf: (ref) => keys.map((k) => k.get(ref)),
    compare: (a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const x = a[i],
          y = b[i],
          k = keys[i];
        if (x === undefined || y === undefined) {
          if (x === y) continue;
          return (x === undefined ? 1 : -1) * (k.nullsLast ? 1 : -1); // SQLite order: NULL first ascending, last descending
        }
        if (x < y) return k.desc ? 1 : -1;
        if (x > y) return k.desc ? -1 : 1;
      }
      return 0;
    },
  };
}

/** Results of recent queries, valid while the state's version is unchanged (paging re-reads them). */
export class QueryCache {
  private readonly entries = new Map<string, ItemRef[]>();
  private version = -1;

  constructor(private readonly max = 8) {}

  /** A section's items of a type that match the query, in its sort order. */
  run(state: SimState, section: SimSection, type: ItemType, pairs: [string, string][]): ItemRef[] {
    const query = compileQuery(state, type, pairs);
    const list = section.lists[type];
    if (query.predicates.length === 0 && !query.sort && query.limit === undefined) return list;
    if (state.version !== this.version) {
      this.entries.clear();
      this.version = state.version;
    }
    const signature = `${section.id}|${query.signature}`;
    const cached = this.entries.get(signature);
    if (cached) return cached;
    let result = list.filter((ref) => query.predicates.every((p) => p(ref)));
    if (query.sort) {
      const { keyOf, compare } = query.sort;
      const decorated = result.map((ref, i) => ({ ref, key: keyOf(ref), i }));
      decorated.sort((a, b) => compare(a.key, b.key) || a.i - b.i);
      result = decorated.map((d) => d.ref);
    }
    if (query.limit !== undefined) result = result.slice(0, query.limit);
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(signature, result);
    return result;
  }
}
