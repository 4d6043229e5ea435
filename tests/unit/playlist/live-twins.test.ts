import { describe, expect, it } from 'vitest';
import { hasLiveMarker, isLiveAlbum, isLiveTrack, songTitle, twinKey } from '../../../src/domain/playlist/index.js';

describe('live detection', () => {
  it.each([
    ['Song (Live)', true],
    ['Song [Live at Wembley]', true],
    ['Song (Live Version)', true],
    ['Song - Live', true],
    ['Song – Live 1977', true],
    ['Song (Acoustic Live)', true],
    ['Live Forever', false],
    ['Live and Let Die', false],
    ['Lively Up Yourself', false],
    ['Alive', false],
    ['Song (Lively Mix)', false],
    ['Deliver - Alive', false],
  ])('track title %s → %s', (title, live) => expect(hasLiveMarker(title)).toBe(live));

  it.each([
    ['Live at Budokan', false, true],
    ['Live in Paris 1994', false, true],
    ['Live!', false, true],
    ['Live From the Basement', false, true],
    ['Live Forever', false, false],
    ['Songs (Live)', false, true],
    ['Anything', true, true],
    ['Living Things', false, false],
  ])('album %s (subformat live: %s) → %s', (title, isLive, live) => expect(isLiveAlbum({ title, isLive })).toBe(live));

  it('a studio title on a live album is live', () => {
    expect(isLiveTrack({ title: 'Live Forever' }, { title: 'Live at Knebworth', isLive: false })).toBe(true);
    expect(isLiveTrack({ title: 'Live Forever' }, { title: 'Definitely Maybe', isLive: false })).toBe(false);
  });
});

describe('twin key', () => {
  it('collapses reissue markers but not different recordings', () => {
    const key = (title: string, artist = 'Oasis') => twinKey({ artist, title });
    expect(key('Wonderwall (Remastered 2014)')).toBe(key('Wonderwall'));
    expect(key('Wonderwall - 2014 Remaster')).toBe(key('Wonderwall'));
    expect(key('Wonderwall [Mono]')).toBe(key('wonderwall'));
    expect(key('Wonderwall (Live)')).not.toBe(key('Wonderwall'));
    expect(key('Wonderwall (Remix)')).not.toBe(key('Wonderwall'));
    expect(key('Wonderwall', 'Ryan Adams')).not.toBe(key('Wonderwall'));
    expect(key('Café')).toBe(key('cafe'));
    expect(songTitle('(Remastered)')).toBe('(Remastered)');
  });
});
