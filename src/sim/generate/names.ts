// Invented artist, album and track titles. Uniqueness is enforced per scope so that twins (same artist and
// title) arise only where the generator puts them on purpose (best-ofs, compilations, reissues).
import type { Rng } from './prng.js';
import { BAND_ADJECTIVES, BAND_NOUNS, FIRST_NAMES, LAST_NAMES, TITLE_ADJECTIVES, TITLE_NOUNS, TITLE_VERBS } from './vocabulary.js';

export class NameMaker {
  private readonly artistNames = new Set<string>();

  constructor(private readonly rng: Rng) {}

  artist(): string {
    for (let attempt = 0; ; attempt++) {
      const name = this.artistCandidate();
      const unique = attempt < 30 ? name : `${name} ${attempt}`;
      if (!this.artistNames.has(unique.toLowerCase())) {
        this.artistNames.add(unique.toLowerCase());
        return unique;
      }
    }
  }

  private artistCandidate(): string {
    const r = this.rng;
    switch (r.int(0, 5)) {
      case 0:
        return `The ${r.pick(BAND_ADJECTIVES)} ${r.pick(BAND_NOUNS)}`;
      case 1:
        return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)}`;
      case 2:
        return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)} & the ${r.pick(BAND_NOUNS)}`;
      case 3:
        return `${r.pick(BAND_ADJECTIVES)} ${r.pick(BAND_NOUNS)}`;
      case 4:
        return `${r.pick(LAST_NAMES)}`;
      default:
        return `${r.pick(FIRST_NAMES)} ${r.pick(LAST_NAMES)} Quartet`;
    }
  }

  album(artist: string, ordinal: number): string {
    const r = this.rng;
    if (ordinal === 0 && r.chance(0.08)) return artist; // self-titled debut
    switch (r.int(0, 6)) {
      case 0:
        return `${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}`;
      case 1:
        return r.pick(TITLE_NOUNS);
      case 2:
        return `The ${r.pick(TITLE_NOUNS)} Sessions`;
      case 3:
        return `${r.pick(TITLE_NOUNS)} & ${r.pick(TITLE_NOUNS)}`;
      case 4:
        return `${r.pick(TITLE_VERBS)} the ${r.pick(TITLE_NOUNS)}`;
      case 5:
        return `${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}, Vol. ${r.int(1, 3)}`;
      default:
        return `${r.pick(TITLE_NOUNS)}: ${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}`;
    }
  }

  /** A track title not yet used in `taken` (the artist's titles). */
  track(taken: Set<string>): string {
    for (let attempt = 0; ; attempt++) {
      const base = this.trackCandidate();
      const title = attempt < 20 ? base : `${base} No. ${attempt}`;
      const key = title.toLowerCase();
      if (!taken.has(key)) {
        taken.add(key);
        return title;
      }
    }
  }

  private trackCandidate(): string {
    const r = this.rng;
    switch (r.int(0, 11)) {
      case 0:
      case 1:
        return `${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}`;
      case 2:
        return `${r.pick(TITLE_VERBS)} the ${r.pick(TITLE_NOUNS)}`;
      case 3:
        return r.pick(TITLE_NOUNS);
      case 4:
        return `Don't ${r.pick(TITLE_VERBS)} Me`;
      case 5:
        return `${r.pick(TITLE_VERBS)} Me, ${r.pick(FIRST_NAMES)}`;
      case 6:
        return `What Is ${r.pick(TITLE_NOUNS)}?`;
      case 7:
        return `${r.pick(TITLE_NOUNS)} / ${r.pick(TITLE_NOUNS)}`;
      case 8:
        return `Part ${r.int(1, 4)}: ${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)}`;
      case 9:
        return `Rock 'n' Roll ${r.pick(TITLE_NOUNS)}`;
      case 10:
        return `${r.pick(TITLE_NOUNS)} & ${r.pick(TITLE_NOUNS)}`;
      default:
        return `${r.pick(TITLE_ADJECTIVES)} ${r.pick(TITLE_NOUNS)} (${r.pick(TITLE_VERBS)} It)`;
    }
  }
}
