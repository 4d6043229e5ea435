// Where each chosen music section keeps its state. Every section has a database of its own (library cache,
// claims, journal, runs, inbox, playlist history), so two sections never share a mean, a plan or an undo:
// the main database (DB_PATH) belongs to the section it was first used for, and keeps the settings, the
// sign-in and the receiver's spool for all of them; each other section gets `sagewire.section-<slug>.db`
// beside it. The assignment is recorded (settings row SECTION_STATE_FILES) so reordering the list, or
// adding a section in front, never moves a section's state to another file.
import { createHash } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { ConfigError, type Config } from '../config.js';

export const SECTION_FILES_SETTING = 'SECTION_STATE_FILES';

export interface PlacedSection {
  /** As chosen (PLEX_MUSIC_LIBRARY): a title or an id. */
  name: string;
  /** Its state database. */
  dbPath: string;
  /** The main database (settings, sign-in, spool) is this section's. */
  main: boolean;
}

/** Recorded file names by lower-cased section name; '' is the main database. */
export type SectionFiles = Record<string, string>;

/** A file name for a section: readable, and unique even when two names slug alike. */
export function sectionFileName(dbPath: string, name: string): string {
  const stem = basename(dbPath).replace(/\.db$/, '');
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'section';
  const digest = createHash('sha256').update(name.toLowerCase()).digest('hex').slice(0, 6);
  return `${stem}.section-${slug}-${digest}.db`;
}

/**
 * Places the chosen sections: the main database stays with the section recorded for it while that section
 * is chosen (else to the first one chosen that has no file yet, whose cache is then synced into it, as a
 * change of section always did); every other section keeps the file recorded for it, or gets a new one.
 */
export function placeSections(
  dbPath: string,
  names: readonly string[],
  recorded: SectionFiles,
): { sections: PlacedSection[]; files: SectionFiles } {
  const key = (name: string) => name.toLowerCase();
  const files: SectionFiles = { ...recorded };
  const mainNow = Object.entries(files).find(([, file]) => file === '')?.[0];
  // A section with a file of its own keeps it: the main database goes to one that has none, if any.
  const mainName = names.find((n) => key(n) === mainNow) ?? names.find((n) => !files[key(n)]) ?? names[0];
  if (mainNow !== undefined && mainNow !== key(mainName)) delete files[mainNow];
  const sections = names.map((name) => {
    if (name === mainName) {
      files[key(name)] = '';
      return { name, dbPath, main: true };
    }
    let file = files[key(name)];
    if (!file) {
      file = sectionFileName(dbPath, name);
      files[key(name)] = file;
    }
    return { name, dbPath: dbPath === ':memory:' ? ':memory:' : join(dirname(dbPath), file), main: false };
  });
  return { sections, files };
}

/** The recorded assignment from its settings row (anything unreadable counts as none recorded). */
export function parseSectionFiles(raw: string | null): SectionFiles {
  if (!raw) return {};
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/**
 * The configuration a command-line tool uses for one of the chosen sections (`--section NAME`): that
 * section's state database and its name in place of the first one's.
 */
export function configForSection(config: Config, name: string, recorded: SectionFiles): Config {
  const chosen = config.plex.musicLibraries.find((n) => n.toLowerCase() === name.toLowerCase());
  if (!chosen) {
    throw new ConfigError([`--section: "${name}" is not one of the music sections chosen (${config.plex.musicLibraries.join(', ')})`]);
  }
  const placed = placeSections(config.dbPath, config.plex.musicLibraries, recorded).sections.find((s) => s.name === chosen)!;
  return { ...config, dbPath: placed.dbPath, plex: { ...config.plex, musicLibrary: chosen, musicLibraries: [chosen] } };
}

/** The section the main database holds. */
export function mainSectionName(config: Config, recorded: SectionFiles): string {
  return placeSections(config.dbPath, config.plex.musicLibraries, recorded).sections.find((s) => s.main)!.name;
}
