// "Test connection" on the Setup page: asks Plex who it is and which music libraries it has, with a
// short timeout and no retries, and turns the client's typed errors into one sentence a person can act on.
// Which token may be tested against which URL is the Setup handler's decision (secrets/binding.ts).
import { safeUrl } from '../../log.js';
import { PlexClient, PlexError } from '../../plex/index.js';

export interface MusicLibrary {
  id: string;
  title: string;
}

export type PlexCheck =
  | { ok: true; version: string | null; machineIdentifier: string; libraries: MusicLibrary[] }
  | { ok: false; message: string };

export type PlexChecker = (url: string, token: string) => Promise<PlexCheck>;

export function plexChecker(version: string, timeoutMs = 5000): PlexChecker {
  return async (url, token) => {
    try {
      const client = new PlexClient({ url, token, version, timeoutMs, retries: 0, clientIdentifier: 'sagewire-setup' });
      const identity = await client.identity();
      const sections = await client.sections();
      const libraries = sections.filter((s) => s.type === 'artist').map((s) => ({ id: s.key, title: s.title }));
      return { ok: true, version: identity.version ?? null, machineIdentifier: identity.machineIdentifier, libraries };
    } catch (err) {
      // PlexError messages say the status and a fixed reason (never the answer's body); anything else
      // is an answer Plex would not give, said as such, whatever its text.
      if (err instanceof PlexError) return { ok: false, message: err.message.replace(/^plex: /, '') };
      return { ok: false, message: `the server at ${safeUrl(url)} did not answer like Plex` };
    }
  };
}
