import { describe, expect, it } from 'vitest';
import { MAX_LINE_TOKENS, commonTags, fitToBudget, tellingTags, trackLine } from '../../../src/domain/playlist/index.js';
import { countOpenAiTokens } from '../../../src/playlists/token-count.js';
import { track } from './fixtures.js';

describe('track lines', () => {
  it('fits the OpenAI tokenizer budget even for long, accented names', () => {
    const long = track({
      artist: 'Ýrsa Þórðardóttir & the Ñandú Philharmonic Orchestra of Sønderborg',
      title: 'A Very Long Title: Part II (Extended Mix) [feat. Somebody Else]',
      album: 'The Complete Recordings of Everything, Volume Seventeen',
      year: 1971,
      tags: { styles: ['Psychedelic', 'Prog-Rock'], moods: ['Hypnotic', 'Tense/Anxious'], genres: ['Pop/Rock'] },
    });
    const { line, tokens } = trackLine('123', long, countOpenAiTokens);
    expect(tokens).toBeLessThanOrEqual(MAX_LINE_TOKENS);
    expect(line.startsWith('123|')).toBe(true);
    const short = trackLine(
      '7',
      track({ artist: 'Low', title: 'Words', album: 'Long Division', year: 1995, tags: { styles: ['Slowcore'] } }),
      countOpenAiTokens,
    );
    expect(short.line).toBe('7|Low|Words|Long Division|1995|Slowcore');
  });

  it('never lets a pipe or newline inside a field', () => {
    const { line } = trackLine('1', track({ artist: 'A|B', title: 'x\ny' }), countOpenAiTokens);
    expect(line.split('|')).toHaveLength(6);
  });

  it('puts asked-for tags first and leaves out tags every track shares', () => {
    const t = track({ tags: { genres: ['Rock'], styles: ['Shoegaze'], moods: ['Dreamy', 'Melancholy'] } });
    expect(tellingTags(t, { genres: [], styles: [], moods: ['Melancholy'] })).toEqual(['Melancholy', 'Shoegaze', 'Dreamy']);
    const all = Array.from({ length: 20 }, () => track({ tags: { genres: ['Rock'], styles: [] } }));
    expect([...commonTags(all)]).toEqual(['rock']);
  });
});

describe('budget fitting', () => {
  const tracks = Array.from({ length: 100 }, (_, i) => track({ artist: `Artist ${i}`, title: `Title ${i}` }));
  it('stops at the token budget and at the track budget, numbering from 1', () => {
    const count = (s: string) => s.length; // one token per character, to make the arithmetic visible
    const byTokens = fitToBudget(tracks, count, { maxTokens: 200, maxTracks: 100 });
    expect(byTokens.tokens).toBeLessThanOrEqual(200);
    expect(byTokens.tracks.length).toBe(byTokens.lines.length);
    expect(byTokens.lines[1].startsWith('2|')).toBe(true);
    expect(fitToBudget(tracks, countOpenAiTokens, { maxTokens: 1e9, maxTracks: 30 }).tracks).toHaveLength(30);
    expect(fitToBudget(tracks, countOpenAiTokens, { maxTokens: 0, maxTracks: 30 }).tracks).toHaveLength(0);
  });
});
