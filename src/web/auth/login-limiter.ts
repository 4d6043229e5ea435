// Login attempts, rate-limited per client IP and globally (a distributed guesser hits the global
// limit). Only failures count; a success clears that IP's record. Sliding windows in memory: a
// restart forgets them, which costs an attacker a restart of our process they cannot cause.
export interface LimitRule {
  max: number;
  windowMs: number;
}

export interface LoginLimits {
  perIp: LimitRule;
  global: LimitRule;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perIp: { max: 10, windowMs: 15 * 60_000 },
  global: { max: 100, windowMs: 15 * 60_000 },
};

export type LimitVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: 'ip' | 'global' };

const MAX_TRACKED_IPS = 10_000;

export class LoginLimiter {
  private readonly byIp = new Map<string, number[]>();
  private global: number[] = [];

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  check(ip: string, now = Date.now()): LimitVerdict {
    const mine = this.recent(this.byIp.get(ip) ?? [], this.limits.perIp, now);
    this.global = this.recent(this.global, this.limits.global, now);
    if (mine.length >= this.limits.perIp.max) return this.refuse(mine, this.limits.perIp, now, 'ip');
    if (this.global.length >= this.limits.global.max) return this.refuse(this.global, this.limits.global, now, 'global');
    return { allowed: true };
  }

  recordFailure(ip: string, now = Date.now()): void {
    const mine = this.recent(this.byIp.get(ip) ?? [], this.limits.perIp, now);
    mine.push(now);
    this.byIp.delete(ip); // re-insert so the map stays in least-recently-failed order
    this.byIp.set(ip, mine);
    if (this.byIp.size > MAX_TRACKED_IPS) this.byIp.delete(this.byIp.keys().next().value!);
    this.global.push(now);
  }

  recordSuccess(ip: string): void {
    this.byIp.delete(ip);
  }

  private recent(times: number[], rule: LimitRule, now: number): number[] {
    return times.filter((t) => now - t < rule.windowMs);
  }

  private refuse(times: number[], rule: LimitRule, now: number, scope: 'ip' | 'global'): LimitVerdict {
    const oldest = times[times.length - rule.max];
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - now) / 1000)), scope };
  }
}
