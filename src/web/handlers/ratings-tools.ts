// Rating tools: verify (and fix), recover, CSV export and import.
//   GET  /ratings/tools                 the page
//   POST /ratings/verify                fix=1 also repairs what can be repaired without guessing
//   POST /ratings/recover               multipart: from_tags, from_fractional, dry_run, state_file (plex_state.json)
//   GET  /ratings/export.csv?type=      tracks | albums | artists
//   POST /ratings/import                multipart: csv → the validation report, nothing applied yet
//   POST /ratings/import/apply          id of the checked file; apply_valid=1 applies only the valid rows
import type { Context } from 'koa';
import { exportRatingsCsv, type ExportType } from '../../engine/tools/csv-ratings.js';
import type { AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { applyImportForm, exportQuery, importForm, recoverForm, verifyForm } from '../forms/ratings.js';
import type { PendingImport } from '../services/ratings.js';
import { ratingsOf, readUpload, startJob, UPLOAD_LIMIT } from './ratings-common.js';

async function toolsPage(deps: AdminDeps, ctx: Context, pending: PendingImport | null, status = 200): Promise<void> {
  const ratings = ratingsOf(deps, ctx);
  await deps.views.page(
    ctx,
    'ratings-tools',
    'Rating tools',
    {
      job: ratings.jobs.current(),
      engineReady: ratings.access.deps() !== null,
      uploadLimitMiB: UPLOAD_LIMIT / 1024 / 1024,
      pending: pending
        ? {
            id: pending.id,
            name: pending.name,
            valid: pending.check.rows.length,
            problems: pending.check.problems.slice(0, 100),
            problemCount: pending.check.problems.length,
            byOwnership: countBy(pending),
          }
        : null,
    },
    status,
  );
}

function countBy(pending: PendingImport): Record<string, number> {
  const out: Record<string, number> = { manual: 0, inferred: 0, unrated: 0 };
  for (const row of pending.check.rows) out[row.ownership] += 1;
  return out;
}

export function showTools(deps: AdminDeps) {
  return async (ctx: Context) => toolsPage(deps, ctx, null);
}

export function startVerify(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { fix } = await parseInput(ctx, verifyForm);
    await startJob(deps, ctx, '/ratings/tools', () => ratingsOf(deps, ctx).actions.verify(fix));
  };
}

export function startRecover(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { file, fields } = await readUpload(ctx, 'state_file');
    const request = await parseInput(ctx, recoverForm, { from: { ...fields, state_file: file }, status: 422 });
    await startJob(deps, ctx, '/ratings/tools', () => ratings.actions.recover(request));
  };
}

export function exportCsv(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { type } = await parseInput(ctx, exportQuery, { from: 'query' });
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="sagewire-${type}.csv"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = exportRatingsCsv({ store: ratings.store }, type satisfies ExportType);
  };
}

export function checkImport(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { file } = await readUpload(ctx, 'csv');
    const { csv } = await parseInput(ctx, importForm, { from: { csv: file }, status: 422 });
    const pending = ratings.stageImport(csv.name, csv.data.toString('utf8'));
    await toolsPage(deps, ctx, pending, pending.check.problems.length > 0 ? 422 : 200);
  };
}

export function applyImport(deps: AdminDeps) {
  return async (ctx: Context) => {
    const ratings = ratingsOf(deps, ctx);
    const { id, applyValid } = await parseInput(ctx, applyImportForm);
    const pending = ratings.pendingImport(id);
    if (!pending)
      ctx.throw(409, 'That import is no longer waiting (another file was checked since, or Sagewire restarted). Upload it again.');
    if (pending.check.problems.length > 0 && !applyValid)
      ctx.throw(422, 'The file has invalid rows: fix them, or apply only the valid rows.');
    await startJob(deps, ctx, '/ratings/tools', () => {
      const job = ratings.actions.importCsv(pending.text, applyValid);
      ratings.dropImport();
      return job;
    });
  };
}
