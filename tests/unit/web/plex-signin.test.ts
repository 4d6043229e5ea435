// The sign-in store behind "Sign in with Plex", with a scripted plex.tv: what each plex.tv answer turns the
// sign-in into, expiry by the clock without asking plex.tv, the order connections are offered in, and which
// choice ids name a connection.
import { describe, expect, it } from 'vitest';
import { PlexTvError, type PlexPin, type PlexServerResource, type PlexTv } from '../../../src/plex/plextv.js';
import { PlexSignIns } from '../../../src/web/services/plex-signin.js';

const SERVER: PlexServerResource = {
  name: 'Attic',
  clientIdentifier: 'abc',
  accessToken: 'server-token',
  owned: true,
  presence: true,
  connections: [
    { protocol: 'https', address: '198.51.100.2', port: 8443, uri: 'https://relay.example:8443', local: false, relay: true },
    { protocol: 'https', address: '203.0.113.9', port: 32400, uri: 'https://remote.example:32400', local: false, relay: false },
    { protocol: 'http', address: '192.168.1.10', port: 32400, uri: 'http://192.168.1.10:32400', local: true, relay: false },
  ],
};

/** A plex.tv whose checkPin answers come from `answers`, one per call. */
function scripted(answers: Array<PlexPin | PlexTvError>, servers: () => PlexServerResource[] = () => [SERVER]) {
  let checks = 0;
  const fake = {
    createPin: async (): Promise<PlexPin> => ({ id: 7, code: 'c0de', authToken: null, expiresIn: 60 }),
    authUrl: (code: string) => `http://plextv.test/auth#?code=${code}`,
    checkPin: async (): Promise<PlexPin> => {
      const answer = answers[Math.min(checks++, answers.length - 1)];
      if (answer instanceof PlexTvError) throw answer;
      return answer;
    },
    servers: async () => servers(),
  };
  return { plexTv: async () => fake as unknown as PlexTv, checks: () => checks };
}

const pending: PlexPin = { id: 7, code: 'c0de', authToken: null, expiresIn: 50 };
const approved: PlexPin = { id: 7, code: 'c0de', authToken: 'account-token', expiresIn: 40 };

describe('PlexSignIns', () => {
  it.each([
    ['not approved yet', [pending], 'waiting'],
    ['approved', [approved], 'servers'],
    ['expired at plex.tv', [new PlexTvError('expired', 'expired')], 'expired'],
    ['plex.tv out of reach this once', [new PlexTvError('unreachable', 'down')], 'waiting'],
    ['plex.tv too slow this once', [new PlexTvError('timeout', 'slow')], 'waiting'],
    ['refused by plex.tv', [new PlexTvError('rejected', 'refused')], 'failed'],
    ['an unreadable answer', [new PlexTvError('answer', 'garbled')], 'failed'],
  ] as const)('a poll when the PIN is %s leaves the sign-in %s', async (_name, answers, state) => {
    const signIns = new PlexSignIns({ plexTv: scripted([...answers]).plexTv });
    expect((await signIns.start('s')).state).toBe('waiting');
    expect((await signIns.poll('s')).state).toBe(state);
  });

  it('says a sign-in has expired once its time is up, without asking plex.tv', async () => {
    let now = 1_000_000;
    const script = scripted([pending]);
    const signIns = new PlexSignIns({ plexTv: script.plexTv, now: () => now });
    await signIns.start('s');
    now += 60_000;
    expect((await signIns.poll('s')).state).toBe('expired');
    expect(script.checks()).toBe(0);
  });

  it('offers local, then remote, then relay connections, and a choice id names one with its server token', async () => {
    const signIns = new PlexSignIns({ plexTv: scripted([approved]).plexTv });
    await signIns.start('s');
    const view = await signIns.poll('s');
    if (view.state !== 'servers') throw new Error(`expected servers, got ${view.state}`);
    expect(view.servers[0].connections.map((c) => [c.id, c.kind, c.uri])).toEqual([
      ['0-0', 'local', 'http://192.168.1.10:32400'],
      ['0-1', 'remote', 'https://remote.example:32400'],
      ['0-2', 'relay', 'https://relay.example:8443'],
    ]);
    expect(JSON.stringify(view)).not.toContain('token');
    expect(signIns.chosen('s', '0-0')).toEqual({ serverName: 'Attic', uri: 'http://192.168.1.10:32400', token: 'server-token' });
    for (const id of ['0-3', '1-0', '0', 'x-y', '00000-0']) expect(signIns.chosen('s', id)).toBeNull();
    expect(signIns.chosen('another session', '0-0')).toBeNull();
    signIns.clear('s');
    expect(signIns.view('s').state).toBe('idle');
  });

  it.each([
    ['a plex.direct address', '192.168.1.10', 'https://192-168-1-10.abc.plex.direct:32400', 'http://192.168.1.10:32400'],
    ['an IPv6 plex.direct address', 'fd00::10', 'https://fd00--10.abc.plex.direct:32400', 'http://[fd00::10]:32400'],
  ])('offers a local connection at %s also as plain http at its address', async (_name, address, uri, plain) => {
    const secure: PlexServerResource = {
      ...SERVER,
      connections: [{ protocol: 'https', address, port: 32400, uri, local: true, relay: false }],
    };
    const signIns = new PlexSignIns({ plexTv: scripted([approved], () => [secure]).plexTv });
    await signIns.start('s');
    const view = await signIns.poll('s');
    if (view.state !== 'servers') throw new Error(`expected servers, got ${view.state}`);
    expect(view.servers[0].connections.map((c) => [c.kind, c.uri])).toEqual([
      ['local', uri],
      ['local', plain],
    ]);
    expect(signIns.chosen('s', '0-1')?.uri).toBe(plain);
  });

  it('says why listing servers failed after approval', async () => {
    const signIns = new PlexSignIns({
      plexTv: scripted([approved], () => {
        throw new PlexTvError('no-servers', 'This Plex account has no Plex Media Server Sagewire can use.');
      }).plexTv,
    });
    await signIns.start('s');
    expect(await signIns.poll('s')).toEqual({ state: 'failed', message: 'This Plex account has no Plex Media Server Sagewire can use.' });
  });
});
