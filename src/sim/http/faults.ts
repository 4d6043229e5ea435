// Latency and fault injection for retry and crash-safety tests. `/__sim/*` is exempt so a test can always
// reach the controls. Faults draw from a seeded PRNG so a run is reproducible.
import type { Context, Next } from 'koa';
import type { SimConfig } from '../config.js';
import type { SimStats } from '../stats.js';
import { createRng } from '../generate/prng.js';

const sleep = (ms: number, timers: Set<NodeJS.Timeout>): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(() => {
      timers.delete(t);
      resolve();
    }, ms);
    timers.add(t);
  });

export class FaultInjector {
  private readonly rng;
  readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly config: SimConfig,
    private readonly stats: SimStats,
    seed: number,
  ) {
    this.rng = createRng(seed ^ 0x5eed);
  }

  /** Clears pending delays so the server can close promptly. */
  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  middleware() {
    return async (ctx: Context, next: Next): Promise<void> => {
      if (ctx.path.startsWith('/__sim/')) return next();
      const { latencyMs, faultRate, faultMode, faultPhase } = this.config;
      if (latencyMs > 0) await sleep(latencyMs, this.timers);
      const faulty = faultRate > 0 && this.rng.next() < faultRate;
      if (!faulty) return next();
      this.stats.countFault(faultMode);
      if (faultPhase === 'after') {
        try {
          await next();
        } catch {
          /* the answer is lost anyway */
        }
      }
      await this.inject(ctx, faultMode);
    };
  }

  private async inject(ctx: Context, mode: SimConfig['faultMode']): Promise<void> {
    if (mode === 'error') {
      ctx.status = 500;
      ctx.type = 'text/html';
      ctx.body = '<html><head><title>Internal Server Error</title></head><body><h1>500 Internal Server Error</h1></body></html>';
      return;
    }
    if (mode === 'timeout') await sleep(this.config.faultTimeoutMs, this.timers);
    ctx.respond = false; // nothing is sent: the client sees a dropped connection (after the delay, for timeouts)
    ctx.req.socket.destroy();
  }
}
