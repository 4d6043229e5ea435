// What the rating handlers share: the rating services (or a 503 when app.ts handed none), the answer to
// "start a job" (the job panel for htmx, a redirect with a flash message for a plain form), and the
// multipart parser for uploads (plex_state.json, CSV) with its size limit.
import multer from '@koa/multer';
import type { Context } from 'koa';
import type { AdminDeps } from '../deps.js';
import { JobRefused, type JobSnapshot } from '../jobs.js';
import type { RatingsUi } from '../services/ratings.js';

export const UPLOAD_LIMIT = 20 * 1024 * 1024;

export function ratingsOf(deps: AdminDeps, ctx: Context): RatingsUi {
  if (!deps.ratings) ctx.throw(503, 'The rating engine is not available in this process');
  return deps.ratings;
}

/** Starts a job; answers with the job panel (htmx) or a redirect back (plain form). */
export async function startJob(deps: AdminDeps, ctx: Context, back: string, start: () => JobSnapshot): Promise<void> {
  let job: JobSnapshot;
  try {
    job = start();
  } catch (err) {
    if (err instanceof JobRefused) ctx.throw(err.status, err.message);
    throw err;
  }
  deps.logger.info({ job: job.kind, label: job.label }, 'admin: rating job started');
  if (ctx.get('HX-Request')) return deps.views.fragment(ctx, 'job', { job, watching: true });
  await deps.sessions.setFlash(ctx, { kind: 'info', text: `${job.label} started.` });
  ctx.redirect(`${back}#job`);
}

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 10, fieldSize: 1024, parts: 12 },
});

/** Parses a multipart form with one file field; the file (or null) and the text fields. */
export async function readUpload(
  ctx: Context,
  field: string,
): Promise<{ file: { name: string; data: Buffer } | null; fields: Record<string, string> }> {
  if (!ctx.is('multipart/form-data')) ctx.throw(415, 'expected a file upload (multipart/form-data)');
  try {
    await upload.single(field)(ctx as never, async () => {});
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'LIMIT_FILE_SIZE') ctx.throw(413, `the file is larger than ${UPLOAD_LIMIT / 1024 / 1024} MiB`);
    ctx.throw(400, `malformed upload: ${(err as Error).message}`);
  }
  const file = (ctx as unknown as { file?: { originalname: string; buffer: Buffer; size: number } }).file;
  const body = ((ctx.request as unknown as { body?: Record<string, unknown> }).body ?? {}) as Record<string, unknown>;
  const fields = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return { file: file && file.size > 0 ? { name: file.originalname, data: file.buffer } : null, fields };
}
