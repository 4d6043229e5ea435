// Sign-in attempts: limited per client address, and verified through a small gate.
//
// - An attempt is reserved before its password is verified, so concurrent attempts from one address
//   count as they arrive: at most `perIp.max` of them are ever verified within the window (failures in
//   the window plus attempts in flight). A success clears the address's failures.
// - Verification (argon2: a thread and ~19 MiB each) runs at most `verification.concurrency` at a time;
//   up to `verification.queue` attempts wait for a turn, and beyond that an attempt is answered "busy" at
//   once instead of piling up. Attempts from addresses without recent failures go first, and may take
//   the place of a waiting attempt from an address that has failed.
// - The global limit never refuses anyone, so no address can lock the admin out from another one: once
//   `global.max` failures from all addresses fall within `global.windowMs`, verifications start at most
//   one per `global.paceMs`, which slows a guesser spread over many addresses.
// Memory stays bounded: each address keeps at most `perIp.max` timestamps, at most
// `maxTrackedAddresses` addresses are kept (the least recently active is forgotten first), and the
// global record keeps `global.max` timestamps. Everything is in memory: a restart forgets it, which costs
// an attacker a restart of our process they cannot cause.
import { isIPv4, isIPv6 } from 'node:net';

export interface LimitRule {
  max: number;
  windowMs: number;
}

export interface LoginLimits {
  perIp: LimitRule;
  /** Failures from all addresses together; beyond `max` in the window verifications are paced. */
  global: LimitRule & { paceMs?: number };
  verification?: { concurrency: number; queue: number };
  maxTrackedAddresses?: number;
}

export const DEFAULT_LOGIN_LIMITS = {
  perIp: { max: 10, windowMs: 15 * 60_000 },
  global: { max: 100, windowMs: 15 * 60_000, paceMs: 1_000 },
  verification: { concurrency: 2, queue: 16 },
  maxTrackedAddresses: 10_000,
} satisfies Required<LoginLimits>;

export type AttemptOutcome =
  | { kind: 'verified'; ok: boolean }
  /** Refused for this address: too many recent failures, or too many of its attempts already in flight. */
  | { kind: 'refused'; reason: 'failures' | 'in-flight'; retryAfterSeconds: number }
  /** The verification queue is full: try again shortly. */
  | { kind: 'busy'; retryAfterSeconds: number }
  /** The client went away before its turn; nothing was verified or counted. */
  | { kind: 'abandoned' };

type Turn = 'go' | 'busy' | 'abandoned';

interface AddressRecord {
  /** Failure times, oldest first, at most perIp.max of them. */
  failures: number[];
  /** Attempts reserved and not yet settled. */
  pending: number;
}

interface Waiter {
  settle(turn: Turn): void;
}

/** The key an address is limited by: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64, which one host
 *  usually holds whole. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class LoginLimiter {
  private readonly limits: typeof DEFAULT_LOGIN_LIMITS;
  /** Insertion order is the order of last activity: the first record is the one to forget first. */
  private readonly addresses = new Map<string, AddressRecord>();
  /** The newest global.max failure times, oldest first. */
  private readonly globalFailures: number[] = [];
  private readonly waitingClean: Waiter[] = [];
  private readonly waitingSuspect: Waiter[] = [];
  private running = 0;
  private lastStart = -Infinity;
  private paceTimer: NodeJS.Timeout | null = null;
  /** Smoothed duration of one verification, for Retry-After estimates. */
  private verifyMs = 50;

  constructor(
    limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.limits = {
      perIp: limits.perIp,
      global: { ...limits.global, paceMs: limits.global.paceMs ?? DEFAULT_LOGIN_LIMITS.global.paceMs },
      verification: limits.verification ?? DEFAULT_LOGIN_LIMITS.verification,
      maxTrackedAddresses: limits.maxTrackedAddresses ?? DEFAULT_LOGIN_LIMITS.maxTrackedAddresses,
    };
    const { perIp, global, verification } = this.limits;
    for (const [name, value] of Object.entries({
      'perIp.max': perIp.max,
      'global.max': global.max,
      'verification.concurrency': verification.concurrency,
    })) {
      if (!Number.isInteger(value) || value < 1) throw new Error(`login limits: ${name} must be a whole number ≥ 1 (got ${value})`);
    }
    if (!Number.isInteger(verification.queue) || verification.queue < 0)
      throw new Error(`login limits: verification.queue must be a whole number ≥ 0 (got ${verification.queue})`);
  }

  /** Reserves an attempt for `ip`, waits for a verification turn and runs `verify` in it, recording the
   *  outcome. `signal` aborts the wait when the client goes away. */
  async attempt(ip: string, verify: () => Promise<boolean>, signal?: AbortSignal): Promise<AttemptOutcome> {
    const key = addressKey(ip);
    const now = this.now();
    const record = this.current(key, now);
    const failures = record?.failures.length ?? 0;
    const pending = record?.pending ?? 0;
    const { perIp } = this.limits;
    if (failures >= perIp.max) {
      const oldest = record!.failures[failures - perIp.max];
      return { kind: 'refused', reason: 'failures', retryAfterSeconds: Math.max(1, Math.ceil((oldest + perIp.windowMs - now) / 1000)) };
    }
    if (failures + pending >= perIp.max) return { kind: 'refused', reason: 'in-flight', retryAfterSeconds: this.busyFor() };

    const mine = this.keep(key, record ?? { failures: [], pending: 0 });
    mine.pending += 1;
    try {
      const turn = await this.turn(failures === 0, signal);
      if (turn === 'busy') return { kind: 'busy', retryAfterSeconds: this.busyFor() };
      if (turn === 'abandoned') return { kind: 'abandoned' };
      const started = this.now();
      let ok: boolean;
      try {
        ok = await verify();
      } finally {
        this.verifyMs = 0.8 * this.verifyMs + 0.2 * Math.max(1, this.now() - started);
        this.running -= 1;
        this.pump();
      }
      if (ok) mine.failures = [];
      else this.fail(key, mine, this.now());
      return { kind: 'verified', ok };
    } finally {
      mine.pending -= 1;
      if (mine.pending === 0 && mine.failures.length === 0 && this.addresses.get(key) === mine) this.addresses.delete(key);
    }
  }

  /** Addresses currently tracked (for tests of the memory bound). */
  get trackedAddresses(): number {
    return this.addresses.size;
  }

  /** The address's record with failures outside the window dropped; undefined when it has nothing. */
  private current(key: string, now: number): AddressRecord | undefined {
    const record = this.addresses.get(key);
    if (!record) return undefined;
    record.failures = record.failures.filter((t) => now - t < this.limits.perIp.windowMs);
    if (record.failures.length === 0 && record.pending === 0) {
      this.addresses.delete(key);
      return undefined;
    }
    return record;
  }

  /** (Re)inserts the record as the most recently active, forgetting the least recently active idle one
   *  when there are too many. Records with attempts in flight are never forgotten; there are at most
   *  concurrency + queue of them. */
  private keep(key: string, record: AddressRecord): AddressRecord {
    this.addresses.delete(key);
    this.addresses.set(key, record);
    if (this.addresses.size > this.limits.maxTrackedAddresses) {
      for (const [other, r] of this.addresses) {
        if (r.pending === 0) {
          this.addresses.delete(other);
          break;
        }
      }
    }
    return record;
  }

  private fail(key: string, record: AddressRecord, now: number): void {
    record.failures.push(now);
    if (record.failures.length > this.limits.perIp.max) record.failures.shift();
    this.keep(key, record);
    this.globalFailures.push(now);
    if (this.globalFailures.length > this.limits.global.max) this.globalFailures.shift();
  }

  private turn(clean: boolean, signal?: AbortSignal): Promise<Turn> | Turn {
    if (signal?.aborted) return 'abandoned';
    const { concurrency, queue } = this.limits.verification;
    if (this.running < concurrency && this.queued() === 0 && this.paceWait(this.now()) === 0) {
      this.start();
      return 'go';
    }
    if (this.queued() >= queue) {
      // A full queue: an attempt from a clean address takes the place of the newest one from an address
      // that has failed; otherwise the newcomer is the one answered busy.
      const displaced = clean ? this.waitingSuspect.pop() : undefined;
      if (!displaced) return 'busy';
      displaced.settle('busy');
    }
    return new Promise<Turn>((resolve) => {
      const lane = clean ? this.waitingClean : this.waitingSuspect;
      const onAbort = () => {
        const at = lane.indexOf(waiter);
        if (at >= 0) lane.splice(at, 1);
        resolve('abandoned');
      };
      const waiter: Waiter = {
        settle(turn) {
          signal?.removeEventListener('abort', onAbort);
          resolve(turn);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      lane.push(waiter);
      this.pump();
    });
  }

  /** Starts waiting attempts while there is room and the pace allows. */
  private pump(): void {
    while (this.running < this.limits.verification.concurrency && this.queued() > 0) {
      const wait = this.paceWait(this.now());
      if (wait > 0) {
        if (!this.paceTimer) {
          this.paceTimer = setTimeout(() => {
            this.paceTimer = null;
            this.pump();
          }, wait);
          this.paceTimer.unref();
        }
        return;
      }
      const next = this.waitingClean.shift() ?? this.waitingSuspect.shift()!;
      this.start();
      next.settle('go');
    }
  }

  private start(): void {
    this.running += 1;
    this.lastStart = this.now();
  }

  private queued(): number {
    return this.waitingClean.length + this.waitingSuspect.length;
  }

  /** How long the next verification must wait for the global pace (0 while the global limit is not reached). */
  private paceWait(now: number): number {
    const { global } = this.limits;
    const paced = this.globalFailures.length >= global.max && now - this.globalFailures[0] < global.windowMs;
    return paced ? Math.max(0, this.lastStart + global.paceMs - now) : 0;
  }

  /** Seconds until the queue has likely drained: what a busy answer's Retry-After says. */
  private busyFor(): number {
    const { global, verification } = this.limits;
    const paced = this.globalFailures.length >= global.max && this.now() - this.globalFailures[0] < global.windowMs;
    const each = Math.max(this.verifyMs / verification.concurrency, paced ? global.paceMs : 0);
    return Math.max(1, Math.ceil(((this.queued() + this.running) * each) / 1000));
  }
}
