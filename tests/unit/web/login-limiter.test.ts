// The sign-in limiter: attempts are reserved before verification (concurrent attempts from one address
// count at once), verification runs through a bounded gate whose full queue answers busy, clean
// addresses go first, the global limit paces but never refuses, a client that leaves gives its place up,
// and memory stays bounded however many addresses try.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addressKey, LoginLimiter, type AttemptOutcome, type LoginLimits } from '../../../src/web/auth/login-limiter.js';

const limits = (over: Partial<LoginLimits> = {}): LoginLimits => ({
  perIp: { max: 3, windowMs: 60_000 },
  global: { max: 1_000, windowMs: 60_000, paceMs: 1_000 },
  verification: { concurrency: 2, queue: 10 },
  ...over,
});

/** A password check the test answers by hand; it records the order checks start in and the peak running. */
function manualVerifier() {
  const pending: Array<{ label: string; answer: (ok: boolean) => void }> = [];
  const order: string[] = [];
  const listeners: Array<() => void> = [];
  let running = 0;
  let peak = 0;
  return {
    order,
    get peak() {
      return peak;
    },
    check(label: string) {
      return () =>
        new Promise<boolean>((resolve) => {
          running += 1;
          peak = Math.max(peak, running);
          order.push(label);
          pending.push({
            label,
            answer: (ok) => {
              running -= 1;
              resolve(ok);
            },
          });
          for (const l of listeners.splice(0)) l();
        });
    },
    /** Resolves once `n` checks have started in all. */
    started(n: number): Promise<void> {
      return new Promise((resolve) => {
        const test = () => (order.length >= n ? resolve() : listeners.push(test));
        test();
      });
    },
    /** Answers the running check started for `label`. */
    answer(label: string, ok = false) {
      const at = pending.findIndex((p) => p.label === label);
      if (at < 0) throw new Error(`no running check for ${label}`);
      pending.splice(at, 1)[0].answer(ok);
    },
  };
}

const wrong = async () => false;
const right = async () => true;

/** Collects outcomes in the order they settle, and resolves when `n` have. */
function settled(promises: Array<Promise<AttemptOutcome>>) {
  const done: AttemptOutcome[] = [];
  const listeners: Array<() => void> = [];
  for (const p of promises) {
    void p.then((o) => {
      done.push(o);
      for (const l of listeners.splice(0)) l();
    });
  }
  return {
    done,
    count(n: number): Promise<AttemptOutcome[]> {
      return new Promise((resolve) => {
        const test = () => (done.length >= n ? resolve(done.slice(0, n)) : listeners.push(test));
        test();
      });
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('LoginLimiter per address', () => {
  it('verifies at most perIp.max of many concurrent attempts from one address, refusing the rest at once', async () => {
    const limiter = new LoginLimiter(limits());
    const v = manualVerifier();
    const attempts = Array.from({ length: 50 }, (_, i) => limiter.attempt('203.0.113.5', v.check(`a${i}`)));
    const refusedAtOnce = await settled(attempts).count(47);
    expect(refusedAtOnce.every((o) => o.kind === 'refused' && o.reason === 'in-flight' && o.retryAfterSeconds >= 1)).toBe(true);
    expect(v.order).toEqual(['a0', 'a1']); // concurrency 2: the third waits for a turn, still reserved
    v.answer('a0');
    v.answer('a1');
    await v.started(3);
    v.answer('a2');
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o.kind === 'verified')).toHaveLength(3);
    expect(v.order).toHaveLength(3);
    const after = await limiter.attempt('203.0.113.5', right);
    expect(after).toMatchObject({ kind: 'refused', reason: 'failures' });
  });

  it.each([
    {
      name: 'refused until the oldest counted failure leaves the window',
      failAt: [0, 10_000, 20_000],
      askAt: 30_000,
      expected: { kind: 'refused', reason: 'failures', retryAfterSeconds: 30 },
    },
    {
      name: 'allowed once a failure has left the window',
      failAt: [0, 10_000, 20_000],
      askAt: 60_000,
      expected: { kind: 'verified', ok: true },
    },
    { name: 'allowed below the limit', failAt: [0, 10_000], askAt: 11_000, expected: { kind: 'verified', ok: true } },
    {
      name: 'refused attempts do not extend the wait',
      failAt: [0, 5_000, 10_000, 20_000, 30_000],
      askAt: 40_000,
      expected: { kind: 'refused', reason: 'failures', retryAfterSeconds: 20 },
    },
  ])('$name', async ({ failAt, askAt, expected }) => {
    let now = 0;
    const limiter = new LoginLimiter(limits(), () => now);
    for (const t of failAt) {
      now = t;
      // Past the limit the attempt is refused and not recorded; that is the point of the case.
      await limiter.attempt('198.51.100.9', wrong);
    }
    now = askAt;
    expect(await limiter.attempt('198.51.100.9', right)).toEqual(expected);
  });

  it('clears an address after a success, and keeps addresses apart', async () => {
    const limiter = new LoginLimiter(limits());
    for (let i = 0; i < 2; i++) await limiter.attempt('10.0.0.1', wrong);
    expect(await limiter.attempt('10.0.0.1', right)).toEqual({ kind: 'verified', ok: true });
    for (let i = 0; i < 3; i++) expect(await limiter.attempt('10.0.0.1', wrong)).toEqual({ kind: 'verified', ok: false });
    expect((await limiter.attempt('10.0.0.1', right)).kind).toBe('refused');
    expect(await limiter.attempt('10.0.0.2', right)).toEqual({ kind: 'verified', ok: true });
  });

  it('limits IPv6 by /64 and IPv4-mapped addresses as IPv4', async () => {
    const limiter = new LoginLimiter(limits());
    for (const ip of ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff::3']) await limiter.attempt(ip, wrong);
    expect((await limiter.attempt('2001:db8:1:2:aaaa:bbbb:cccc:dddd', right)).kind).toBe('refused');
    expect((await limiter.attempt('2001:db8:1:3::1', right)).kind).toBe('verified');
    for (let i = 0; i < 3; i++) await limiter.attempt('192.0.2.4', wrong);
    expect((await limiter.attempt('::ffff:192.0.2.4', right)).kind).toBe('refused');
  });
});

describe('addressKey', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:127.0.0.2', '127.0.0.2'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:0db8:0001:0002:0003:0004:0005:0006', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['not-an-address', 'not-an-address'],
  ])('%s → %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('LoginLimiter verification gate', () => {
  it('runs at most `concurrency` checks, queues `queue` more and answers the rest busy at once', async () => {
    const limiter = new LoginLimiter(limits({ verification: { concurrency: 2, queue: 3 } }));
    const v = manualVerifier();
    const attempts = Array.from({ length: 8 }, (_, i) => limiter.attempt(`10.1.0.${i}`, v.check(`a${i}`)));
    const busy = await settled(attempts).count(3);
    expect(busy.map((o) => o.kind)).toEqual(['busy', 'busy', 'busy']);
    expect(busy.every((o) => o.kind === 'busy' && o.retryAfterSeconds >= 1)).toBe(true);
    for (let i = 0; i < 5; i++) {
      await v.started(i + 1);
      v.answer(v.order[i]);
    }
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o.kind === 'verified')).toHaveLength(5);
    expect(v.peak).toBe(2);
  });

  it('lets attempts from clean addresses go first and take the place of one from an address that failed', async () => {
    const limiter = new LoginLimiter(limits({ verification: { concurrency: 1, queue: 2 } }));
    await limiter.attempt('10.9.9.9', wrong); // this address has failed once: its next attempt waits behind clean ones
    const v = manualVerifier();
    const running = limiter.attempt('10.0.0.1', v.check('clean-1'));
    await v.started(1);
    const suspect = limiter.attempt('10.9.9.9', v.check('suspect'));
    const clean2 = limiter.attempt('10.0.0.2', v.check('clean-2'));
    const clean3 = limiter.attempt('10.0.0.3', v.check('clean-3')); // queue full: displaces the suspect
    expect(await suspect).toMatchObject({ kind: 'busy' });
    const clean4 = limiter.attempt('10.0.0.4', v.check('clean-4')); // full of clean ones: busy itself
    expect(await clean4).toMatchObject({ kind: 'busy' });
    v.answer('clean-1');
    await v.started(2);
    v.answer('clean-2', true);
    await v.started(3);
    v.answer('clean-3');
    expect(await Promise.all([running, clean2, clean3])).toEqual([
      { kind: 'verified', ok: false },
      { kind: 'verified', ok: true },
      { kind: 'verified', ok: false },
    ]);
    expect(v.order).toEqual(['clean-1', 'clean-2', 'clean-3']);
  });

  it('serves clean addresses before waiting ones from addresses that failed', async () => {
    const limiter = new LoginLimiter(limits({ verification: { concurrency: 1, queue: 5 } }));
    await limiter.attempt('10.9.9.9', wrong);
    const v = manualVerifier();
    const first = limiter.attempt('10.0.0.1', v.check('clean-1'));
    await v.started(1);
    const suspect = limiter.attempt('10.9.9.9', v.check('suspect'));
    const clean = limiter.attempt('10.0.0.2', v.check('clean-2'));
    v.answer('clean-1');
    await v.started(2);
    v.answer('clean-2', true);
    await v.started(3);
    v.answer('suspect');
    await Promise.all([first, suspect, clean]);
    expect(v.order).toEqual(['clean-1', 'clean-2', 'suspect']);
  });

  it('gives up the place of a client that leaves while waiting, without verifying or counting it', async () => {
    const limiter = new LoginLimiter(limits({ verification: { concurrency: 1, queue: 1 } }));
    const v = manualVerifier();
    const first = limiter.attempt('10.0.0.1', v.check('first'));
    await v.started(1);
    const leaving = new AbortController();
    const left = limiter.attempt('10.0.0.2', v.check('left'), leaving.signal);
    leaving.abort();
    expect(await left).toEqual({ kind: 'abandoned' });
    const next = limiter.attempt('10.0.0.3', v.check('next')); // the place is free again
    v.answer('first');
    await v.started(2);
    v.answer('next');
    await Promise.all([first, next]);
    expect(v.order).toEqual(['first', 'next']);
    const aborted = new AbortController();
    aborted.abort();
    expect(await limiter.attempt('10.0.0.2', right, aborted.signal)).toEqual({ kind: 'abandoned' });
    // The address that left has no failure recorded: it still has its full allowance.
    for (let i = 0; i < 3; i++) expect(await limiter.attempt('10.0.0.2', wrong)).toEqual({ kind: 'verified', ok: false });
  });

  it('releases the turn and the reservation when the check throws', async () => {
    const limiter = new LoginLimiter(limits({ verification: { concurrency: 1, queue: 0 } }));
    await expect(limiter.attempt('10.0.0.1', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.attempt('10.0.0.1', right)).toEqual({ kind: 'verified', ok: true });
    expect(limiter.trackedAddresses).toBe(0);
  });
});

describe('LoginLimiter global limit', () => {
  it('paces verifications once the global limit is reached, refusing nobody, and stops pacing when the window clears', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const limiter = new LoginLimiter(limits({ global: { max: 4, windowMs: 60_000, paceMs: 1_000 } }), () => Date.now());
    for (let i = 0; i < 4; i++) await limiter.attempt(`10.2.0.${i}`, wrong);
    const starts: number[] = [];
    const timed = (ok: boolean) => async () => {
      starts.push(Date.now());
      return ok;
    };
    const t0 = Date.now();
    const admin = limiter.attempt('10.3.0.1', timed(true));
    const other = limiter.attempt('10.3.0.2', timed(false));
    await vi.advanceTimersByTimeAsync(999);
    expect(starts).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await admin).toEqual({ kind: 'verified', ok: true });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await other).toEqual({ kind: 'verified', ok: false });
    expect(starts).toEqual([t0 + 1_000, t0 + 2_000]);
    await vi.advanceTimersByTimeAsync(60_000);
    starts.length = 0;
    const later = Date.now();
    expect(await limiter.attempt('10.3.0.3', timed(true))).toEqual({ kind: 'verified', ok: true });
    expect(starts).toEqual([later]);
  });
});

describe('LoginLimiter memory', () => {
  it('keeps at most maxTrackedAddresses addresses however many fail, and forgets clean ones at once', async () => {
    const limiter = new LoginLimiter(limits({ maxTrackedAddresses: 100, global: { max: 100_000, windowMs: 60_000 } }));
    const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    for (let i = 0; i < 5_000; i++) await limiter.attempt(ip(i), wrong);
    expect(limiter.trackedAddresses).toBe(100);
    // The most recently active are the ones kept: the newest is still limited, the oldest forgotten.
    for (let k = 0; k < 2; k++) await limiter.attempt(ip(4_999), wrong);
    expect((await limiter.attempt(ip(4_999), right)).kind).toBe('refused');
    for (let k = 0; k < 3; k++) expect(await limiter.attempt(ip(0), wrong)).toEqual({ kind: 'verified', ok: false });
    expect(limiter.trackedAddresses).toBe(100);
    const fresh = new LoginLimiter(limits());
    for (let i = 0; i < 100; i++) await fresh.attempt(`10.4.0.${i}`, right);
    expect(fresh.trackedAddresses).toBe(0);
  });

  it.each([
    { name: 'perIp.max 0', over: { perIp: { max: 0, windowMs: 1 } } },
    { name: 'global.max 1.5', over: { global: { max: 1.5, windowMs: 1 } } },
    { name: 'concurrency 0', over: { verification: { concurrency: 0, queue: 1 } } },
    { name: 'queue -1', over: { verification: { concurrency: 1, queue: -1 } } },
  ])('refuses bad limits with a clear error: $name', ({ over }) => {
    expect(() => new LoginLimiter(limits(over))).toThrow(/login limits: .* must be a whole number/);
  });
});
