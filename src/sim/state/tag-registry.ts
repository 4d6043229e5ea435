// Tag ids, as Plex keeps them in one tag table: each (kind, name) gets a stable numeric id, names match
// case-insensitively and keep the spelling first seen. Ids are assigned in library order, so a saved and
// reloaded library shows the same ids.

export type RegistryKind = 'genre' | 'mood' | 'style' | 'subformat';

export interface TagEntry {
  id: number;
  kind: RegistryKind;
  name: string;
}

export class TagRegistry {
  private readonly byName = new Map<string, TagEntry>();
  private readonly byId = new Map<number, TagEntry>();
  private nextId = 100;

  /** The entry for a name, created on first use. */
  ensure(kind: RegistryKind, name: string): TagEntry {
    const key = `${kind}\u0000${name.toLowerCase()}`;
    let entry = this.byName.get(key);
    if (!entry) {
      entry = { id: this.nextId++, kind, name };
      this.byName.set(key, entry);
      this.byId.set(entry.id, entry);
    }
    return entry;
  }

  find(kind: RegistryKind, name: string): TagEntry | undefined {
    return this.byName.get(`${kind}\u0000${name.toLowerCase()}`);
  }

  byTagId(id: number): TagEntry | undefined {
    return this.byId.get(id);
  }

  /** Canonical spelling of a tag name (the first spelling seen), registering it if new. */
  canonical(kind: RegistryKind, name: string): string {
    return this.ensure(kind, name).name;
  }
}
