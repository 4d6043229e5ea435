// Which URL a secret may go to, as a table: where the secret and its URL come from, what was recorded.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  allowedUrl,
  bindingToRecord,
  comparableUrl,
  withheldReason,
  type BoundSecretName,
  type SecretState,
} from '../../src/secrets/binding.js';

const state = (s: Partial<SecretState>): SecretState => ({
  secret: 'k',
  secretFromEnv: false,
  url: null,
  urlFromEnv: false,
  recorded: null,
  ...s,
});

describe('comparableUrl', () => {
  it.each([
    ['http://Plex.Local:32400/', 'http://plex.local:32400'],
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
    ['http://h:80/x//', 'http://h/x'],
    [' http://h:11434/v1 ', 'http://h:11434/v1'],
    ['ftp://h/', null],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['not a url', null],
    ['', null],
  ])('%s → %s', (raw, expected) => {
    expect(comparableUrl(raw)).toBe(expected);
  });
});

describe('allowedUrl and withheldReason', () => {
  const cases: { label: string; name: BoundSecretName; s: Partial<SecretState>; allowed: string | null; withheld: boolean }[] = [
    {
      label: 'env key, env URL',
      name: 'OPENAI_API_KEY',
      s: { secretFromEnv: true, url: 'http://proxy/v1', urlFromEnv: true },
      allowed: 'http://proxy/v1',
      withheld: false,
    },
    {
      label: 'env key, no URL: the default',
      name: 'OPENAI_API_KEY',
      s: { secretFromEnv: true },
      allowed: 'https://api.openai.com/v1',
      withheld: false,
    },
    {
      label: 'env key, saved URL elsewhere',
      name: 'OPENAI_API_KEY',
      s: { secretFromEnv: true, url: 'http://evil/v1' },
      allowed: 'https://api.openai.com/v1',
      withheld: true,
    },
    {
      label: 'env key, saved URL = default spelled differently',
      name: 'ANTHROPIC_API_KEY',
      s: { secretFromEnv: true, url: 'https://API.anthropic.com/' },
      allowed: 'https://api.anthropic.com',
      withheld: false,
    },
    {
      label: 'env key, a recorded row does not move it',
      name: 'GEMINI_API_KEY',
      s: { secretFromEnv: true, url: 'http://evil', recorded: 'http://evil' },
      allowed: 'https://generativelanguage.googleapis.com',
      withheld: true,
    },
    {
      label: 'saved key, recorded with its URL',
      name: 'OPENAI_API_KEY',
      s: { url: 'http://proxy/v1', recorded: 'http://proxy/v1' },
      allowed: 'http://proxy/v1',
      withheld: false,
    },
    {
      label: 'saved key, URL changed since',
      name: 'OPENAI_API_KEY',
      s: { url: 'http://evil/v1', recorded: 'http://proxy/v1' },
      allowed: 'http://proxy/v1',
      withheld: true,
    },
    {
      label: 'saved key, recorded default, URL set later',
      name: 'OPENAI_API_KEY',
      s: { url: 'http://evil/v1', recorded: 'https://api.openai.com/v1' },
      allowed: 'https://api.openai.com/v1',
      withheld: true,
    },
    {
      label: 'saved key from before bindings: the URL in effect',
      name: 'PLEX_TOKEN',
      s: { url: 'http://plex:32400' },
      allowed: 'http://plex:32400',
      withheld: false,
    },
    {
      label: 'saved token, env URL changed',
      name: 'PLEX_TOKEN',
      s: { url: 'http://other:32400', urlFromEnv: true, recorded: 'http://plex:32400' },
      allowed: 'http://plex:32400',
      withheld: true,
    },
    {
      label: 'env token, env URL',
      name: 'PLEX_TOKEN',
      s: { secretFromEnv: true, url: 'http://plex:32400', urlFromEnv: true, recorded: 'http://old' },
      allowed: 'http://plex:32400',
      withheld: false,
    },
    {
      label: 'env token, saved URL, recorded',
      name: 'PLEX_TOKEN',
      s: { secretFromEnv: true, url: 'http://evil:1', recorded: 'http://plex:32400' },
      allowed: 'http://plex:32400',
      withheld: true,
    },
    {
      label: 'env local key, first URL',
      name: 'OPENAI_COMPATIBLE_API_KEY',
      s: { secretFromEnv: true, url: 'http://localhost:11434/v1' },
      allowed: 'http://localhost:11434/v1',
      withheld: false,
    },
    { label: 'no URL at all: nothing to send to', name: 'PLEX_TOKEN', s: {}, allowed: null, withheld: false },
    {
      label: 'no secret: nothing withheld',
      name: 'OPENAI_API_KEY',
      s: { secret: null, url: 'http://evil' },
      allowed: 'http://evil',
      withheld: false,
    },
  ];
  it.each(cases)('$label', ({ name, s, allowed, withheld }) => {
    expect(allowedUrl(name, state(s))).toBe(allowed);
    expect(withheldReason(name, state(s)) !== null).toBe(withheld);
  });
});

describe('bindingToRecord', () => {
  it.each([
    {
      label: 'typed with the new URL',
      before: state({ url: 'http://a', recorded: 'http://a' }),
      final: 'http://b',
      typed: true,
      expected: 'http://b',
    },
    {
      label: 'kept: stays where it was',
      before: state({ url: 'http://a', recorded: 'http://a' }),
      final: 'http://b',
      typed: false,
      expected: 'http://a',
    },
    {
      label: 'first save binds to the URL saved with it',
      before: state({ secretFromEnv: true }),
      final: 'http://plex:32400',
      typed: false,
      expected: 'http://plex:32400',
    },
    {
      label: 'from before bindings: the URL it was used with',
      before: state({ url: 'http://a' }),
      final: 'http://b',
      typed: false,
      expected: 'http://a',
    },
    { label: 'no secret, nothing to record', before: state({ secret: null }), final: 'http://b', typed: false, expected: null },
  ])('$label', ({ before, final, typed, expected }) => {
    expect(bindingToRecord('PLEX_TOKEN', before, final, typed)).toBe(expected);
  });
});

describe('loadConfig', () => {
  it('withholds an environment OPENAI_API_KEY from a saved OPENAI_BASE_URL, and keeps it for the default', () => {
    const moved = loadConfig({ DATA_DIR: '/tmp/x', OPENAI_API_KEY: 'sk-env' }, { OPENAI_BASE_URL: 'http://evil.example/v1' });
    expect(moved.llm.withheldKeys.openai).toMatch(/^OPENAI_API_KEY from the environment is only sent to https:\/\/api\.openai\.com\/v1/);
    expect(moved.llm.withheldKeys.openai).not.toContain('sk-env');
    expect(loadConfig({ DATA_DIR: '/tmp/x', OPENAI_API_KEY: 'sk-env' }).llm.withheldKeys).toEqual({});
    expect(loadConfig({ DATA_DIR: '/tmp/x', OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: 'http://proxy/v1' }).llm.withheldKeys).toEqual({});
  });

  it('withholds a saved PLEX_TOKEN from a URL it was not saved with', () => {
    const config = loadConfig(
      { DATA_DIR: '/tmp/x', PLEX_URL: 'http://elsewhere:32400' },
      { PLEX_TOKEN: 't', PLEX_TOKEN_BOUND_URL: 'http://plex:32400' },
    );
    expect(config.plex.tokenWithheld).toContain('was saved for http://plex:32400');
    expect(
      loadConfig({ DATA_DIR: '/tmp/x' }, { PLEX_URL: 'http://plex:32400/', PLEX_TOKEN: 't', PLEX_TOKEN_BOUND_URL: 'http://plex:32400' })
        .plex.tokenWithheld,
    ).toBeNull();
  });
});
