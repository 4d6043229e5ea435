// Turns a Plex XML answer into the JSON shape Plex sends for `Accept: application/json`, following
// PLEX-API.md: every XML attribute is a string, so the numeric ones are converted; keys stay strings;
// `<Directory>`/`<Track>` items become `Metadata[]`; tag children (`<Genre tag=…/>`) become arrays.
import { XMLParser } from 'fast-xml-parser';

const NUMERIC = new Set([
  'librarySectionID',
  'index',
  'parentIndex',
  'year',
  'parentYear',
  'duration',
  'addedAt',
  'updatedAt',
  'lastRatedAt',
  'userRating',
  'rating',
  'leafCount',
  'viewCount',
  'skipCount',
  'lastViewedAt',
  'size',
  'totalSize',
  'offset',
  'id',
  'ratingCount',
  'playlistItemID',
]);
const TAGS = new Set(['Genre', 'Mood', 'Style', 'Subformat', 'Field', 'Location']);
const ITEMS = new Set(['Directory', 'Track', 'Playlist']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) => TAGS.has(name) || ITEMS.has(name),
});

function convert(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (ITEMS.has(key)) {
      const list = (out.Metadata as unknown[] | undefined) ?? [];
      list.push(...(value as Record<string, unknown>[]).map(convert));
      out.Metadata = list;
    } else if (TAGS.has(key)) {
      out[key] = (value as Record<string, unknown>[]).map(convert);
    } else if (typeof value === 'string') {
      out[key] = NUMERIC.has(key) && value !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    }
  }
  return out;
}

export function plexXmlToJson(xml: string): { MediaContainer: Record<string, unknown> & { Metadata?: Record<string, unknown>[] } } {
  const parsed = parser.parse(xml) as { MediaContainer: Record<string, unknown> };
  return { MediaContainer: convert(parsed.MediaContainer) };
}
