// The `Meta` block of `…/all?includeMeta=1`: what python-plexapi reads to validate filters and sorts.
// It looks up a filter `field` (or `libtype.field`) among the Type's `Field` keys by their last segment and
// sends the key it found, so own-type fields come first and carry the `type.` prefix as real Plex's do;
// tag filters are checked against the choices at the `Filter`'s key (`/library/sections/{id}/mood?type=10`).
import type { ItemType } from '../state/state.js';
import { TYPE_CODES } from '../state/state.js';
import { FIELDS, type FieldKind } from './fields.js';

type Json = Record<string, unknown>;

const TITLES: Record<ItemType, string> = { artist: 'Artists', album: 'Albums', track: 'Tracks' };
const FIELD_TITLES: Record<string, string> = {
  id: 'Rating Key',
  title: 'Title',
  userRating: 'Rating',
  lastRatedAt: 'Last Rated',
  addedAt: 'Date Added',
  updatedAt: 'Date Updated',
  genre: 'Genre',
  mood: 'Mood',
  style: 'Style',
  year: 'Year',
  decade: 'Decade',
  rating: 'Critic Rating',
  originallyAvailableAt: 'Release Date',
  leafCount: 'Track Count',
  subformat: 'Format',
  studio: 'Record Label',
  index: 'Number',
  parentIndex: 'Disc',
  duration: 'Duration',
  viewCount: 'Plays',
  skipCount: 'Skips',
  lastViewedAt: 'Last Played',
  originalTitle: 'Track Artist',
  titleSort: 'Title (sort)',
};
const SORTS: Record<ItemType, [string, string, 'asc' | 'desc'][]> = {
  artist: [
    ['titleSort', 'Title', 'asc'],
    ['userRating', 'Rating', 'desc'],
    ['addedAt', 'Date Added', 'desc'],
    ['lastRatedAt', 'Last Rated', 'desc'],
  ],
  album: [
    ['titleSort', 'Title', 'asc'],
    ['year', 'Year', 'desc'],
    ['originallyAvailableAt', 'Release Date', 'desc'],
    ['rating', 'Critic Rating', 'desc'],
    ['userRating', 'Rating', 'desc'],
    ['addedAt', 'Date Added', 'desc'],
    ['lastRatedAt', 'Last Rated', 'desc'],
  ],
  track: [
    ['titleSort', 'Title', 'asc'],
    ['userRating', 'Rating', 'desc'],
    ['duration', 'Duration', 'desc'],
    ['viewCount', 'Plays', 'desc'],
    ['lastViewedAt', 'Last Played', 'desc'],
    ['addedAt', 'Date Added', 'desc'],
    ['lastRatedAt', 'Last Rated', 'desc'],
  ],
};
const ANCESTORS: Record<ItemType, ItemType[]> = { artist: [], album: ['artist'], track: ['album', 'artist'] };
const TAG_FILTERS: Record<ItemType, string[]> = {
  artist: ['genre', 'mood', 'style'],
  album: ['genre', 'mood', 'style', 'subformat'],
  track: ['genre', 'mood', 'style'],
};

const OPERATORS: Record<FieldKind | 'boolean', [string, string][]> = {
  integer: [
    ['=', 'is'],
    ['!=', 'is not'],
    ['>>=', 'is greater than'],
    ['<<=', 'is less than'],
  ],
  date: [
    ['<<=', 'is before'],
    ['>>=', 'is after'],
  ],
  string: [
    ['=', 'contains'],
    ['!=', 'does not contain'],
    ['==', 'is'],
    ['!==', 'is not'],
    ['<=', 'begins with'],
    ['>=', 'ends with'],
  ],
  tag: [
    ['=', 'is'],
    ['!=', 'is not'],
  ],
  boolean: [
    ['=', 'is true'],
    ['!=', 'is false'],
  ],
};

function fieldsFor(owner: ItemType): Json[] {
  return Object.entries(FIELDS[owner])
    .filter(([name]) => name !== 'titleSort')
    .map(([name, def]) => ({
      key: `${owner}.${name}`,
      title: `${TITLES[owner].slice(0, -1)} ${FIELD_TITLES[name] ?? name}`,
      type: def.kind,
    }));
}

export function metaBlock(sectionId: number, activeType: ItemType = 'artist'): Json {
  const types = (['artist', 'album', 'track'] as ItemType[]).map((type) => ({
    key: `/library/sections/${sectionId}/all?type=${TYPE_CODES[type]}`,
    type,
    title: TITLES[type],
    active: type === activeType,
    Filter: TAG_FILTERS[type].map((tag) => ({
      filter: tag,
      filterType: 'string',
      key: `/library/sections/${sectionId}/${tag}?type=${TYPE_CODES[type]}`,
      title: FIELD_TITLES[tag],
      type: 'filter',
    })),
    Sort: SORTS[type].map(([key, title, dir]) => ({ defaultDirection: dir, descKey: `${key}:desc`, key, title })),
    Field: [...fieldsFor(type), ...ANCESTORS[type].flatMap(fieldsFor)],
  }));
  const fieldTypes = Object.entries(OPERATORS).map(([type, ops]) => ({ type, Operator: ops.map(([key, title]) => ({ key, title })) }));
  return { Type: types, FieldType: fieldTypes };
}
