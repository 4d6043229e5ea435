// The version of each kind of cached data (see src/db/data-versions.ts).
export interface DataVersionTable {
  name: 'library' | 'ratings';
  version: number;
}
