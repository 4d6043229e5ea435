// The play-now service over a stand-in for the three Plex calls it needs: the order of the calls, and which
// problem (player gone, refused, unreachable, not found) each failure becomes, with its status and field.
import { describe, expect, it } from 'vitest';
import {
  PlexAuthError,
  PlexHttpError,
  PlexNotFoundError,
  PlexTimeoutError,
  PlexUnreachableError,
  type PlayQueueSource,
  type PlexPlayer,
} from '../../../src/plex/index.js';
import { PlayNow, PlayNowError, type PlayNowPlex, type PlayTarget } from '../../../src/playlists/play-now.js';

const URL_ = 'http://plex.test:32400';
const kitchen: PlexPlayer = {
  machineIdentifier: 'k1',
  name: 'Kitchen',
  product: 'Plexamp',
  host: null,
  port: null,
  protocolCapabilities: ['playback'],
};
const attic: PlexPlayer = { ...kitchen, machineIdentifier: 'a1', name: 'Attic', product: null };

/** `vanish`: the player is no longer listed once its command failed (it went away). */
function fakePlex(fail: Partial<Record<'players' | 'queue' | 'play', Error>> = {}, vanish = false) {
  const calls: string[] = [];
  let gone = false;
  const sources: PlayQueueSource[] = [];
  const plex: PlayNowPlex = {
    async players() {
      calls.push('players');
      if (fail.players) throw fail.players;
      return gone ? [attic] : [kitchen, attic];
    },
    async createPlayQueue(source) {
      calls.push('queue');
      sources.push(source);
      if (fail.queue) throw fail.queue;
      return { playQueueID: '9', selectedKey: '101', size: 3 };
    },
    async playMedia(id) {
      calls.push(`play ${id}`);
      gone = vanish;
      if (fail.play) throw fail.play;
    },
  };
  return { plex, calls, sources };
}

describe('PlayNow', () => {
  it('lists players by name and plays a list: players → queue → command', async () => {
    const { plex, calls, sources } = fakePlex();
    const service = new PlayNow(async () => plex);
    expect((await service.players()).map((p) => p.name)).toEqual(['Attic', 'Kitchen']);
    const result = await service.play('k1', { ratingKeys: ['101', '102', '103'] });
    expect(result).toEqual({ player: { id: 'k1', name: 'Kitchen', product: 'Plexamp' }, playQueueID: '9', first: '101', size: 3 });
    expect(calls).toEqual(['players', 'players', 'queue', 'play k1']);
    expect(sources).toEqual([{ tracks: ['101', '102', '103'] }]);
  });

  it.each<[PlayTarget, PlayQueueSource]>([
    [{ playlistRatingKey: '5' }, { playlist: '5' }],
    [{ albumRatingKey: '6' }, { album: '6' }],
  ])('queues %j as %j', async (target, source) => {
    const { plex, sources } = fakePlex();
    await new PlayNow(async () => plex).play('a1', target);
    expect(sources).toEqual([source]);
  });

  type Case = [
    string,
    string,
    Partial<Record<'players' | 'queue' | 'play', Error>>,
    PlayTarget,
    string,
    number,
    string | null,
    RegExp,
    boolean?,
  ];
  it.each<Case>([
    ['a player not listed', 'gone', {}, { ratingKeys: ['1'] }, 'player-gone', 404, 'player', /not available any more/],
    [
      'a player gone before the command (404)',
      'k1',
      { play: new PlexNotFoundError(URL_, 'GET', '/player/playback/playMedia') },
      { ratingKeys: ['1'] },
      'player-gone',
      409,
      'player',
      /Kitchen went away/,
      true,
    ],
    [
      'a player gone before the command (500, "unable to find player")',
      'k1',
      { play: new PlexHttpError(URL_, 500, 'GET', '/player/playback/playMedia') },
      { ratingKeys: ['1'] },
      'player-gone',
      409,
      'player',
      /Kitchen went away/,
      true,
    ],
    [
      'a refusing player, still listed (406)',
      'k1',
      { play: new PlexHttpError(URL_, 406, 'GET', '/player/playback/playMedia') },
      { ratingKeys: ['1'] },
      'refused',
      502,
      null,
      /Kitchen refused to play \(Plex answered 406\)/,
    ],
    [
      'items Plex does not have (400)',
      'k1',
      { queue: new PlexHttpError(URL_, 400, 'POST', '/playQueues') },
      { ratingKeys: ['1'] },
      'not-found',
      404,
      'ratingKeys',
      /no track/,
    ],
    [
      'a missing playlist',
      'k1',
      { queue: new PlexNotFoundError(URL_, 'POST', '/playQueues') },
      { playlistRatingKey: '4' },
      'not-found',
      404,
      'playlistRatingKey',
      /no playlist/,
    ],
    [
      'a missing album',
      'k1',
      { queue: new PlexNotFoundError(URL_, 'POST', '/playQueues') },
      { albumRatingKey: '4' },
      'not-found',
      404,
      'albumRatingKey',
      /no album/,
    ],
    [
      'Plex down when listing',
      'k1',
      { players: new PlexUnreachableError(URL_, 'connection refused') },
      { ratingKeys: ['1'] },
      'unreachable',
      503,
      null,
      /cannot be reached/,
    ],
    [
      'Plex slow on the command',
      'k1',
      { play: new PlexTimeoutError(URL_, 'GET', '/player/playback/playMedia', 30000) },
      { ratingKeys: ['1'] },
      'unreachable',
      503,
      null,
      /cannot be reached/,
    ],
    [
      'a rejected token',
      'k1',
      { queue: new PlexAuthError(URL_, 'POST', '/playQueues') },
      { ratingKeys: ['1'] },
      'refused',
      502,
      null,
      /PLEX_TOKEN/,
    ],
  ])('%s', async (_name, player, fail, target, problem, status, field, message, vanish = false) => {
    const { plex, calls } = fakePlex(fail, vanish);
    const err = await new PlayNow(async () => plex).play(player, target).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlayNowError);
    expect(err).toMatchObject({ problem, status, field });
    expect((err as Error).message).toMatch(message);
    // Nothing is sent twice, and nothing after the step that failed.
    expect(new Set(calls.filter((c) => c !== 'players')).size).toBe(calls.filter((c) => c !== 'players').length);
  });

  describe('a shared list of players', () => {
    it.each<[string, number, number, number]>([
      // name, maxAgeMs of every ask, asks after the three together answered, look-ups expected
      ['concurrent asks join the one under way', 2000, 0, 1],
      ['a later ask within the age reuses the answer', 2000, 2, 1],
      ['maxAgeMs 0 asks Plex every time', 0, 2, 5],
    ])('%s', async (_name, maxAgeMs, later, expected) => {
      const { plex, calls } = fakePlex();
      const service = new PlayNow(async () => plex);
      const together = await Promise.all([service.players({ maxAgeMs }), service.players({ maxAgeMs }), service.players({ maxAgeMs })]);
      for (let i = 0; i < later; i++) await service.players({ maxAgeMs });
      expect(together.map((list) => list.map((p) => p.id))).toEqual([
        ['a1', 'k1'],
        ['a1', 'k1'],
        ['a1', 'k1'],
      ]);
      expect(calls.filter((c) => c === 'players')).toHaveLength(expected);
    });

    it('an answer older than maxAgeMs is not reused', async () => {
      const { plex, calls } = fakePlex();
      let clock = 1000;
      const service = new PlayNow(
        async () => plex,
        () => clock,
      );
      await service.players();
      clock += 2000;
      await service.players({ maxAgeMs: 2000 });
      expect(calls).toEqual(['players']);
      clock += 1;
      await service.players({ maxAgeMs: 2000 });
      expect(calls).toEqual(['players', 'players']);
    });

    it('Play asks Plex again even with a list shared, and what it learns is what the pickers share next', async () => {
      const { plex, calls } = fakePlex({ play: new PlexHttpError(URL_, 500, 'GET', '/player/playback/playMedia') }, true);
      const service = new PlayNow(async () => plex);
      await service.players({ maxAgeMs: 60_000 });
      await expect(service.play('k1', { ratingKeys: ['1'] })).rejects.toMatchObject({ problem: 'player-gone', status: 409 });
      expect(calls).toEqual(['players', 'players', 'queue', 'play k1', 'players']);
      // Kitchen went away: the next picker within the age shows it gone without asking.
      expect((await service.players({ maxAgeMs: 60_000 })).map((p) => p.id)).toEqual(['a1']);
      expect(calls.filter((c) => c === 'players')).toHaveLength(3);
    });

    it('a failure is not shared: the next ask tries again', async () => {
      let fail = true;
      let asked = 0;
      const plex: PlayNowPlex = {
        async players() {
          asked++;
          if (fail) throw new PlexUnreachableError(URL_, 'connection refused');
          return [kitchen];
        },
        createPlayQueue: async () => ({ playQueueID: '1', selectedKey: '1', size: 1 }),
        playMedia: async () => {},
      };
      const service = new PlayNow(async () => plex);
      await expect(service.players({ maxAgeMs: 60_000 })).rejects.toMatchObject({ problem: 'unreachable', status: 503 });
      fail = false;
      expect(await service.players({ maxAgeMs: 60_000 })).toEqual([{ id: 'k1', name: 'Kitchen', product: 'Plexamp' }]);
      expect(asked).toBe(2);
    });

    it('another connection does not see the list of the one before', async () => {
      const first = fakePlex();
      const second = fakePlex();
      let plex = first.plex;
      const service = new PlayNow(async () => plex);
      await service.players({ maxAgeMs: 60_000 });
      plex = second.plex;
      await service.players({ maxAgeMs: 60_000 });
      expect([first.calls, second.calls]).toEqual([['players'], ['players']]);
    });

    it('a Plex that does not answer within timeoutMs: unreachable, saying how long it waited', async () => {
      const plex: PlayNowPlex = {
        players: (signal) =>
          new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true })),
        createPlayQueue: async () => ({ playQueueID: '1', selectedKey: '1', size: 1 }),
        playMedia: async () => {},
      };
      const err = await new PlayNow(async () => plex).players({ timeoutMs: 20 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PlayNowError);
      expect(err).toMatchObject({ problem: 'unreachable', status: 503 });
      expect((err as Error).message).toBe('Plex did not answer within 20 ms.');
    });
  });

  it('without a Plex connection says what to set', async () => {
    const err = await new PlayNow(async () => null).players().catch((e: unknown) => e);
    expect(err).toMatchObject({ problem: 'no-plex', status: 503 });
    expect((err as Error).message).toContain('PLEX_URL');
  });
});
