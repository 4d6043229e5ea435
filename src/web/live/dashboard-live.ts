// The dashboard's live parts: the library counts, the ratings card (ownership, μ and ε, the latest run)
// and the webhook feed, pushed over one event stream per process (event-stream.ts). They are rendered
// here, once for every client, from the same partials and data as the page itself; none of them holds
// anything of one session (no CSRF token), so every client can be sent the same HTML.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { dashboardStamp } from '../../db/dashboard-stamp.js';
import type { AdminDeps } from '../deps.js';
import { fmt } from '../format.js';
import type { SagewireStatus } from '../read-models/status.js';
import { createEventStream, DEFAULT_LIVE_OPTIONS, type EventStream, type LiveOptions } from './event-stream.js';

/** What the dashboard's partials read as `it.page`. */
export interface DashboardPage {
  status: SagewireStatus;
  events: unknown[];
  now: number;
}

/** Event name → the partial it carries (the element with `sse-swap="<name>"` on the page). */
const PARTS: Record<string, string> = {
  library: 'dashboard-library',
  ratings: 'dashboard-ratings',
  feed: 'activity',
};

const eta = new Eta({
  views: fileURLToPath(new URL('../../views/', import.meta.url)),
  cache: !import.meta.url.endsWith('.ts'),
  autoEscape: true,
});

const streams = new WeakMap<AdminDeps, EventStream>();

/** The one stream of this set of handlers (one per process, or per section when there are several). */
export function dashboardStream(
  deps: AdminDeps,
  load: () => Promise<DashboardPage>,
  options: LiveOptions = DEFAULT_LIVE_OPTIONS,
): EventStream {
  let stream = streams.get(deps);
  if (!stream) {
    stream = createEventStream(
      {
        stamp: dashboardStamp(deps.db),
        async render() {
          const page = await load();
          const parts: Record<string, string> = {};
          for (const [name, view] of Object.entries(PARTS)) parts[name] = eta.render(`partials/${view}`, { fmt, page });
          return parts;
        },
      },
      deps.logger,
      options,
    );
    streams.set(deps, stream);
  }
  return stream;
}
