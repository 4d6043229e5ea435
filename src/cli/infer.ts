// `sagewire infer [--dry-run] [--json] [--csv FILE]`: sync → compute → plan → execute (or show the plan).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { runFullPass, type FullPassResult } from '../engine/pass/full-pass.js';
import { countsByKindAndReason, namedChanges, planCsv, sampleWrites } from '../engine/pass/plan-report.js';
import { ownershipLines } from '../engine/core/ownership-counts.js';
import { openRatingTools } from '../app.js';
import { progressLine, stopOnSignals } from './progress.js';

export async function runInfer(args: string[], config: Config, logger: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, csv: { type: 'string' }, 'no-sync': { type: 'boolean' } },
  });
  const dryRun = Boolean(values['dry-run']) || config.dryRun;
  const tools = await openRatingTools(config, logger);
  const stop = stopOnSignals();
  const progress = progressLine();
  try {
    const result = await runFullPass(tools.deps, {
      dryRun,
      signal: stop.signal,
      sync: values['no-sync']
        ? undefined
        : async (signal) => {
            progress.update('syncing the library cache…');
            const synced = await tools.sync(signal);
            logger.info({ mode: synced.mode, tracks: synced.tracks, seconds: synced.seconds }, 'infer: library synced');
          },
      onProgress: (p) => progress.update(`writing ${p.done}/${p.total} (${p.written} written, mode ${p.mode})`),
    });
    progress.done();
    if (values.csv) writeFileSync(values.csv, planCsv(result.plan));
    if (values.json) process.stdout.write(`${JSON.stringify(summary(result))}\n`);
    else process.stdout.write(dryRun ? dryRunText(result, values.csv) : `${oneLine(result)}\n`);
    return result.status === 'done' ? 0 : 130;
  } finally {
    progress.done();
    stop.dispose();
    await tools.close();
  }
}

export function summary(result: FullPassResult): Record<string, unknown> {
  const { plan, outcome } = result;
  return {
    runId: result.runId,
    dryRun: result.dryRun,
    status: result.status,
    mu: plan.mu,
    kappa: plan.kappa,
    epsilon: plan.epsilon,
    tracks: plan.trackCount,
    planned: plan.writes.length,
    new: plan.writes.filter((w) => w.reason === 'new').length,
    moved: plan.writes.filter((w) => w.reason === 'moved').length,
    written: outcome?.written ?? 0,
    driftSkipped: plan.driftSkipped,
    takeovers: outcome?.takeovers ?? plan.takeovers.length,
    optOuts: outcome?.optOuts ?? plan.optOuts.length,
    changedSinceSync: outcome?.changedSinceSync ?? 0,
    deleted: outcome?.deleted ?? 0,
    failed: outcome?.failed ?? 0,
    tagsAdded: outcome?.tagsAdded ?? 0,
    tagsRemoved: outcome?.tagsRemoved ?? 0,
    writeMode: outcome?.mode ?? null,
    reconciled: result.reconciled,
    ownership: plan.ownership,
    computeSeconds: Number((plan.computeMs / 1000).toFixed(3)),
    seconds: Number(result.seconds.toFixed(3)),
  };
}

function oneLine(result: FullPassResult): string {
  const s = summary(result);
  return (
    `infer run ${s.runId} ${s.status}: ${s.written}/${s.planned} written (${s.writeMode} mode), ` +
    `${s.driftSkipped} drift-skipped, ${s.takeovers} takeovers, ${s.optOuts} opt-outs, ${s.changedSinceSync} changed since sync; ` +
    `μ ${result.plan.mu.toFixed(3)}, ε ${result.plan.epsilon.toFixed(3)}; ${s.seconds} s`
  );
}

function dryRunText(result: FullPassResult, csv: string | undefined): string {
  const { plan } = result;
  const byKind = countsByKindAndReason(plan);
  const lines = [
    `Dry run ${result.runId}: nothing was written.`,
    `  prior μ ${plan.mu.toFixed(3)} points · critics' average κ ${plan.kappa?.toFixed(3) ?? 'none'} · ` +
      `ε ${plan.epsilon.toFixed(4)} points (${plan.trackCount} tracks)`,
    ...ownershipLines(plan.ownership),
    `  would write ${plan.writes.length}:`,
    ...Object.entries(byKind).map(
      ([kind, c]) => `    ${kind.padEnd(7)} ${String(c.new).padStart(7)} new  ${String(c.moved).padStart(7)} moved ≥ ε`,
    ),
    `  drift-skipped (moved < ε): ${plan.driftSkipped}`,
    `  takeovers (the person changed an inferred rating): ${plan.takeovers.length}`,
    `  opt-outs (the person cleared an inferred rating): ${plan.optOuts.length}`,
    `  inferred tags to fix: ${plan.tagFixes.length}`,
  ];
  const sample = namedChanges(plan, sampleWrites(plan));
  if (sample.length > 0) {
    lines.push('  sample (points):');
    for (const c of sample) {
      const name = [c.artist, c.album, c.title].filter(Boolean).join(' — ');
      lines.push(
        `    ${c.kind.padEnd(6)} ${c.key.padEnd(8)} ${(c.before?.toFixed(1) ?? '—').padStart(4)} → ` +
          `${c.after.toFixed(1)}  ${c.reason.padEnd(5)} ${name}`,
      );
    }
  }
  if (csv) lines.push(`  the whole plan: ${csv}`);
  return `${lines.join('\n')}\n`;
}
