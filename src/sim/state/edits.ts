// `PUT /library/sections/{id}/all?type=…&id=…&…` — Plex's bulk edit. The rules worth simulating exactly:
//  - tag adds (`mood[0].tag.tag=A`) with ONE id replace the item's list; with several ids (or none) they add;
//  - `mood[].tag.tag-=A,B` removes (each name URL-quoted, then comma-joined); `mood[].tag=` removes all;
//  - `mood.locked=1|0` locks or unlocks the field;
//  - without `id` the edit applies to every item of the type in the section (the caller counts it);
//  - ids of another section's items are skipped like unknown ones: an edit never leaves its section.
import type { SimState, ItemRef, ItemType } from './state.js';
import type { SimSection } from './section.js';
import type { RegistryKind } from './tag-registry.js';

const TAG_LISTS = { genre: 'genres', mood: 'moods', style: 'styles' } as const;
type TagField = keyof typeof TAG_LISTS;

export class EditError extends Error {}

interface TagPlan {
  adds: [number, string][];
  removes: string[];
  removeAll: boolean;
}

export interface EditRequest {
  section: SimSection;
  type: ItemType;
  ids: string[] | null;
  params: [string, string][];
}

function decodeLoose(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function applyEdit(state: SimState, req: EditRequest): { edited: number } {
  const tagPlans = new Map<TagField, TagPlan>();
  const locks = new Map<string, boolean>();
  let title: string | undefined;
  let rating: number | null | undefined;
  const plan = (f: TagField): TagPlan => {
    const known = tagPlans.get(f);
    if (known) return known;
    const p: TagPlan = { adds: [], removes: [], removeAll: false };
    tagPlans.set(f, p);
    return p;
  };
  for (const [key, value] of req.params) {
    const listed = (re: RegExp): RegExpMatchArray | null => {
      const found = key.match(re);
      return found && found[1] in TAG_LISTS ? found : null;
    };
    const add = listed(/^(\w+)\[(\d+)\]\.tag\.tag$/);
    const remove = add ? null : listed(/^(\w+)\[\]\.tag\.tag-$/);
    const clear = add || remove ? null : listed(/^(\w+)\[\]\.tag$/);
    const lock = add || remove || clear ? null : key.match(/^(\w+)\.locked$/);
    if (add) {
      if (value.trim() !== '') plan(add[1] as TagField).adds.push([Number(add[2]), value]);
    } else if (remove) {
      plan(remove[1] as TagField).removes.push(
        ...value
          .split(',')
          .map(decodeLoose)
          .filter((v) => v !== ''),
      );
    } else if (clear) {
      if (value === '') plan(clear[1] as TagField).removeAll = true;
    } else if (lock) {
      if (value !== '0' && value !== '1') throw new EditError(`${key} must be 0 or 1`);
      locks.set(lock[1], value === '1');
    } else if (key === 'title.value') {
      if (value.trim() === '') throw new EditError('title.value must not be empty');
      title = value;
    } else if (key === 'userRating.value') {
      const n = Number(value);
      if (value === '' || !Number.isFinite(n) || n < -1 || n > 10) throw new EditError(`bad userRating.value: ${value}`);
      rating = n === -1 ? null : n;
    }
    // Anything else (summary.value, collection[0].tag.tag, …) is accepted and ignored.
  }

  const targets: ItemRef[] = [];
  if (req.ids === null) {
    for (const ref of req.section.lists[req.type]) targets.push(ref);
  } else {
    for (const id of req.ids) {
      const ref = state.get(id);
      // Unknown ids and other types are skipped, as Plex does.
      if (ref && ref.type === req.type && state.sectionOf(id) === req.section) targets.push(ref);
    }
  }
  const single = req.ids !== null && req.ids.length === 1;
  const changesMetadata = tagPlans.size > 0 || locks.size > 0 || title !== undefined;

  for (const ref of targets) {
    const item = ref.item;
    for (const [field, p] of tagPlans) {
      const kind = field as RegistryKind;
      const listName = TAG_LISTS[field];
      let list: string[] = p.removeAll ? [] : item[listName];
      if (p.adds.length > 0) {
        const added = p.adds.sort((a, b) => a[0] - b[0]).map(([, name]) => state.tags.canonical(kind, name));
        list = single && !p.removeAll ? added : [...list, ...added];
      }
      if (p.removes.length > 0) {
        const gone = new Set(p.removes.map((r) => r.toLowerCase()));
        list = list.filter((t) => !gone.has(t.toLowerCase()));
      }
      const seen = new Set<string>();
      item[listName] = list.filter((t) => !seen.has(t.toLowerCase()) && !!seen.add(t.toLowerCase())); // always a new array
    }
    for (const [field, locked] of locks) {
      const current = item.locked ?? [];
      const next = locked ? [...new Set([...current, field])] : current.filter((f) => f !== field);
      if (next.length > 0) item.locked = next;
      else delete item.locked;
    }
    if (title !== undefined) item.title = title;
    if (changesMetadata) state.touched(item);
  }

  if (rating !== undefined) {
    if (state.config.bulkRatingEdits) for (const ref of targets) state.apiRate(ref.item.ratingKey, rating);
    else state.stats.ignoredRatingEdits++;
  }
  return { edited: targets.length };
}
