// The first-run wizard: Plex → library → webhooks or polling → dry run → apply, each step saying what is done
// and what comes next, the current one with its action in place. The actions are the other pages' own: Setup
// for the connection and the library, the Ratings page's dry-run job (started from here, its progress shown
// here) and its apply flow with its confirmation; only "use polling instead" is the wizard's.
// While the page waits on something that happens in the background (the library being read, the first
// webhook from Plex) it asks /welcome/progress, which has it reloaded once that has happened.
//   GET  /welcome                   the wizard
//   GET  /welcome/progress?waiting  204, with HX-Refresh once the library is read or a webhook arrived (htmx polls it)
//   POST /welcome/polling           use polling instead of webhooks
import type { Context } from 'koa';
import { whenApplied, type AdminDeps } from '../deps.js';
import { parseInput } from '../forms/parse.js';
import { progressQuery } from '../forms/welcome.js';
import { firstRunSteps } from '../read-models/first-run.js';
import { choosePolling, firstRunFacts, firstRunPage } from '../services/first-run.js';

export function showWelcome(deps: AdminDeps) {
  return async (ctx: Context) => {
    const page = await firstRunPage(deps);
    await deps.views.page(ctx, 'welcome', 'Welcome', {
      ...page,
      // Koa 3's ctx.origin is the Origin request header; the URL is built from protocol and host, as on Setup.
      webhookUrl: `${ctx.protocol}://${ctx.host}/webhooks/plex/${deps.webhookSecret()}`,
      job: deps.ratings?.jobs.current() ?? null,
      engineReady: deps.ratings?.access.deps() != null,
    });
  };
}

export function welcomeProgress(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { waiting } = await parseInput(ctx, progressQuery, { from: 'query' });
    // No question to Plex here: this is asked every few seconds. Only what happens in the background counts,
    // so a choice made on the page (polling) never reloads it under a form being sent.
    const { facts } = await firstRunFacts(deps, false);
    const arrived =
      waiting === 'library' ? firstRunSteps(facts).steps.find((s) => s.id === 'library')?.state === 'done' : facts.updates.received > 0;
    if (arrived) ctx.set('HX-Refresh', 'true');
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 204;
  };
}

export function usePolling(deps: AdminDeps) {
  return async (ctx: Context) => {
    const { webhooksOff } = await choosePolling(deps);
    deps.logger.info({ webhooksOff }, 'admin: polling chosen in the first-run wizard');
    await deps.sessions.setFlash(ctx, {
      kind: 'success',
      text: webhooksOff
        ? `Polling chosen: Sagewire asks Plex for new ratings every few minutes.${whenApplied(deps)}`
        : 'Polling chosen. WEBHOOKS is set in the environment, so the webhook URL keeps working too; Sagewire also asks Plex for new ratings every few minutes.',
    });
    ctx.redirect('/welcome#step-updates');
  };
}
