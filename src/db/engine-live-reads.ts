// Reads the live engine makes between batches: whether events wait in the inbox (a full pass waits for
// them), and the newest full pass that recorded μ (whoever ran it: the engine, the CLI, the pages).
// Synchronous on the raw connection, like the engine's repositories.
import type { RawReader } from './library-reads.js';

/** Inbox events waiting to be applied (pending or being processed). */
export function queuedEventCount(sqlite: RawReader): number {
  return sqlite.prepare("select count(*) from webhook_events where status in ('pending', 'processing')").pluck().get() as number;
}

/** The newest finished full pass with its μ, or null before the first. */
export function latestFullPass(sqlite: RawReader): { id: number; mu: number } | null {
  const row = sqlite
    .prepare("select id, mu from engine_runs where kind = 'full' and status = 'done' and mu is not null order by id desc limit 1")
    .get() as { id: number; mu: number } | undefined;
  return row ?? null;
}
