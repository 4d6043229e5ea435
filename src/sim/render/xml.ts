// Plex's XML dialect from the same objects the JSON API returns: scalars become attributes (all strings,
// booleans as 1/0), arrays of objects become child elements, and `Metadata` entries take the element name
// Plex uses for their type (tracks <Track>, artists and albums <Directory>, playlists <Playlist>).

const ITEM_ELEMENTS: Record<string, string> = { track: 'Track', album: 'Directory', artist: 'Directory', playlist: 'Playlist' };

// Characters XML 1.0 cannot carry at all are dropped; the rest of the specials are escaped.
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const SPECIAL = /[&<>"'\n\r\t]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\n': '&#10;',
  '\r': '&#13;',
  '\t': '&#9;',
};

export function escapeXml(value: string): string {
  return value.replace(INVALID, '').replace(SPECIAL, (c) => ENTITIES[c]);
}

function element(name: string, obj: Record<string, unknown>, out: string[]): void {
  out.push('<', name);
  const children: [string, unknown][] = [];
  for (const key in obj) {
    const value = obj[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'object') {
      children.push([key, value]);
      continue;
    }
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    out.push(' ', key, '="', typeof value === 'string' ? escapeXml(text) : text, '"');
  }
  if (children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  for (const [key, value] of children) {
    if (Array.isArray(value)) {
      for (const child of value as Record<string, unknown>[]) {
        const childName = key === 'Metadata' ? (ITEM_ELEMENTS[String(child.type)] ?? 'Directory') : key;
        element(childName, child, out);
      }
    } else {
      element(key, value as Record<string, unknown>, out);
    }
  }
  out.push('</', name, '>');
}

export function toXml(rootName: string, obj: Record<string, unknown>): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  element(rootName, obj, out);
  out.push('\n');
  return out.join('');
}
