// Control API for the simulated players (`/__sim/*`, same token, JSON): take a player offline or make it
// refuse commands, and read what every player is playing. `GET /__sim/now-playing?after=N` waits (up to
// `waitMs`, default 10 s) until more than N playback commands have reached the server, so a test in another
// process can wait for a command instead of polling.
import type { Router, RouterContext } from '@koa/router';
import type { SimDeps } from './deps.js';
import { BadRequest } from '../render/respond.js';
import { NotFound } from '../http/errors.js';

const MAX_WAIT_MS = 60_000;

function single(ctx: RouterContext, name: string): string | undefined {
  const v = ctx.query[name];
  return Array.isArray(v) ? v[0] : v;
}

function switchParam(ctx: RouterContext, name: string): boolean | undefined {
  const raw = single(ctx, name);
  if (raw === undefined) return undefined;
  if (raw !== '0' && raw !== '1') throw new BadRequest(`${name} must be 0 or 1`);
  return raw === '1';
}

export function playerControlRoutes(router: Router, deps: SimDeps): void {
  const { players } = deps;

  router.post('/__sim/players', (ctx) => {
    const id = single(ctx, 'machineIdentifier');
    if (!id) throw new BadRequest('machineIdentifier is required');
    const online = switchParam(ctx, 'online');
    const refuse = switchParam(ctx, 'refuse');
    if (!players.set(id, { online, refuse })) throw new NotFound();
    ctx.body = players.nowPlaying().players.find((p) => p.machineIdentifier === id);
  });

  router.get('/__sim/now-playing', async (ctx) => {
    const afterRaw = single(ctx, 'after');
    if (afterRaw !== undefined) {
      const after = Number(afterRaw);
      if (afterRaw === '' || !Number.isInteger(after) || after < 0) throw new BadRequest('after must be a non-negative integer');
      const waitRaw = single(ctx, 'waitMs') ?? '10000';
      const waitMs = Number(waitRaw);
      if (waitRaw === '' || !Number.isInteger(waitMs) || waitMs < 0 || waitMs > MAX_WAIT_MS)
        throw new BadRequest(`waitMs must be an integer from 0 to ${MAX_WAIT_MS}`);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        players.commandsAfter(after),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, waitMs);
          timer.unref(); // a waiting request must not keep a closing simulator's process alive
        }),
      ]);
      clearTimeout(timer);
    }
    ctx.body = players.nowPlaying();
  });
}
