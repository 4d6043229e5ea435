// The playlist pages' other inputs: the seed search, a seed track, a generation job, a history entry, the
// review's edits and save, the art proxy's path. The compose form itself is forms/playlist.ts.
import { z } from 'zod';
import { PROVIDER_NAMES, type ProviderName, type ResultTrack } from '../../playlists/index.js';
import { isPlexArtPath } from '../services/playlist-plex.js';
import { all, choice, maybeText, searchText, text } from './fields.js';

/** GET /playlists/seed?q= */
export const seedQuery = z.object({ q: searchText() });

/** GET /playlists/seed/:key: a key that cannot be a track's is a track that does not exist. */
export const seedParams = z.object({
  key: text().refine((key) => /^\d{1,12}$/.test(key), 'There is no track with this key in the library cache.'),
});

/** GET /playlists/seed/:key?provider= (an unknown provider is the default one) */
export const seedQueryOf = (fallback: ProviderName) =>
  z.object({ provider: choice(PROVIDER_NAMES as readonly ProviderName[] as [ProviderName, ...ProviderName[]], fallback) });

/** GET /playlists/jobs/:id */
export const jobParams = z.object({ id: text() });

/** /playlists/history/:id…: an id that is not one is a generation that does not exist. */
export const historyParams = z.object({
  id: text()
    .transform(Number)
    .refine((id) => Number.isSafeInteger(id) && id > 0, 'There is no such generation in the history.'),
});

/** GET /playlists/art?path= */
export const artQuery = z.object({
  path: maybeText()
    .transform((path) => path ?? '')
    .refine(isPlexArtPath, 'path: expected a Plex artwork path (/library/metadata/<id>/thumb/<timestamp>)'),
});

/** The generation a review form edits: its title and tracks. */
export interface Reviewed {
  title: string;
  tracks: readonly ResultTrack[];
}

/** The list as the review form has it: keys of this result only, in the submitted order, each once. */
const reviewList = (entry: Reviewed) => {
  const known = new Set(entry.tracks.map((t) => t.ratingKey));
  return {
    keys: all().transform((keys) => [...new Set(keys)].filter((k) => known.has(k))),
    title: text().transform((title) => title.trim().slice(0, 200) || entry.title),
  };
};

export const OP_PROBLEM = 'op: expected up:, down: or remove: followed by a track of this playlist';

/** POST /playlists/history/:id/edit: the list, and op = up:<key> | down:<key> | remove:<key> (or none). */
export const reviewEditForm = (entry: Reviewed) =>
  z.object({
    ...reviewList(entry),
    op: text().transform((raw, ctx) => {
      const [op, key] = raw.split(':');
      if (!op) return null;
      if ((op === 'up' || op === 'down' || op === 'remove') && key !== undefined)
        return { op, key } as { op: 'up' | 'down' | 'remove'; key: string };
      ctx.addIssue({ code: 'custom', message: OP_PROBLEM });
      return z.NEVER;
    }),
  });

/** POST /playlists/history/:id/save: the list, the mode, and for replace or append the Plex playlist. */
export const reviewSaveForm = (entry: Reviewed) =>
  z
    .object({
      mode: maybeText()
        .transform((mode) => mode ?? 'create')
        .pipe(z.enum(['create', 'replace', 'append'], 'mode: expected create, replace or append')),
      ...reviewList(entry),
      playlist: text().transform((target) => target.trim()),
      /** Replacing a playlist's tracks is confirmed once the page has named what it replaces. */
      confirm_replace: maybeText().transform((v) => v === '1'),
    })
    .refine((form) => form.keys.length > 0, { message: 'keys: the playlist is empty; keep at least one track', path: ['keys'] })
    .refine((form) => form.mode === 'create' || /^\d{1,12}$/.test(form.playlist), {
      error: (issue) => `playlist: choose the Plex playlist to ${(issue.input as { mode: string }).mode}`,
      path: ['playlist'],
    });
