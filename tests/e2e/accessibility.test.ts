// Accessibility basics on every page, in Chromium against a real serve with live propagation: every
// control has an accessible name, every image a text alternative, text has enough contrast against what is
// behind it (WCAG AA: 4.5:1, 3:1 for large text), every focusable element shows where the focus is, and
// every page has one h1 and a main landmark. The audit runs in the page on what the browser computed.
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLive, type LiveHarness } from '../integration/live/support/live-harness.js';
import { LIVE_PASSWORD } from '../integration/web/rating-support.js';
import { DESKTOP, launchBrowser, type BrowserHarness } from '../support/browser.js';

interface Audit {
  unnamed: string[];
  noAlt: string[];
  lowContrast: string[];
  headings: number;
  main: number;
}

/** Runs in the page: names, alternatives, contrast and landmarks of what is rendered. */
function audit(): Audit {
  const describe = (el: Element) =>
    `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? `[name=${el.getAttribute('name')}]` : ''} ` +
    `"${(el.textContent ?? '').trim().slice(0, 30)}"`;
  const visible = (el: Element) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.visibility !== 'hidden' && style.display !== 'none' && box.width > 0 && box.height > 0;
  };
  const nameOf = (el: Element): string => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy)
      return labelledBy
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ')
        .trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return aria.trim();
    if (el.id) {
      const label = document.querySelector(`label[for="${CSS.escape(el.id)}"]`);
      if (label) return (label.textContent ?? '').trim();
    }
    const wrapping = el.closest('label');
    if (wrapping) return (wrapping.textContent ?? '').trim();
    if (el instanceof HTMLInputElement && ['submit', 'button', 'reset'].includes(el.type)) return el.value.trim();
    if (el.tagName === 'BUTTON' || el.tagName === 'A' || el.tagName === 'SUMMARY') {
      const text = (el.textContent ?? '').trim();
      if (text) return text;
      const img = el.querySelector('img[alt], svg[aria-label]');
      return (img?.getAttribute('alt') ?? img?.getAttribute('aria-label') ?? '').trim();
    }
    return (el.getAttribute('title') ?? '').trim();
  };

  const controls = Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], summary'));
  const unnamed = controls.filter((el) => visible(el) && nameOf(el) === '').map(describe);
  const noAlt = Array.from(document.querySelectorAll('img'))
    .filter((img) => !img.hasAttribute('alt'))
    .map(describe);

  // Contrast: each element with its own text, against the first opaque background up its ancestors.
  const rgba = (value: string): [number, number, number, number] => {
    const m = /rgba?\(([^)]+)\)/.exec(value);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1]
      .split(/[ ,/]+/)
      .filter(Boolean)
      .map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const luminance = ([r, g, b]: number[]) => {
    const channel = (c: number) => {
      const s = c / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el: Element | null): number[] => {
    const layers: Array<[number, number, number, number]> = [];
    for (let node = el; node; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color[3] > 0) layers.push(color);
      if (color[3] >= 1) break;
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    return out;
  };
  const lowContrast: string[] = [];
  for (const el of Array.from(document.querySelectorAll('body *'))) {
    const ownText = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
    if (!ownText || !visible(el) || el.closest('svg, .visually-hidden, [aria-hidden="true"]')) continue;
    const style = getComputedStyle(el);
    const [r, g, b, a] = rgba(style.color);
    const bg = background(el);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const disabled = (el as HTMLButtonElement).disabled === true || el.closest('[disabled]') !== null;
    if (!disabled && ratio < (large ? 3 : 4.5)) lowContrast.push(`${describe(el)} ${ratio.toFixed(2)}:1`);
  }
  return {
    unnamed,
    noAlt,
    lowContrast: [...new Set(lowContrast)],
    headings: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main').length,
  };
}

/** Tabs through the page; every element that takes the focus must look different from when it had none. */
async function unfocusedLookingFocus(page: Page, max = 60): Promise<string[]> {
  const missing: string[] = [];
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const result = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const look = (s: CSSStyleDeclaration) =>
        [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.borderColor, s.textDecorationLine].join('|');
      const focused = look(getComputedStyle(el));
      const clone = el.cloneNode(true) as HTMLElement;
      clone.removeAttribute('id');
      clone.setAttribute('tabindex', '-1');
      el.parentElement!.insertBefore(clone, el);
      const plain = look(getComputedStyle(clone));
      clone.remove();
      return {
        name:
          `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ` +
          `"${(el.textContent ?? (el as HTMLInputElement).value ?? '').trim().slice(0, 25)}"`,
        shows: focused !== plain,
      };
    });
    if (result === null) break;
    if (!result.shows) missing.push(result.name);
  }
  return [...new Set(missing)];
}

describe('accessibility basics on every page', () => {
  let h: LiveHarness;
  let browser: BrowserHarness;
  let page: Page;

  beforeAll(async () => {
    [h, browser] = await Promise.all([startLive({ tracks: 300, seed: 31 }), launchBrowser()]);
    page = await browser.newPage(DESKTOP);
    page.setDefaultTimeout(10_000);
  });
  afterEach(() => browser.assertNoConsoleErrors());
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('the audit itself finds each kind of problem (on a page made to have them)', async () => {
    const probe = await browser.newPage(DESKTOP);
    await probe.setContent(`<!doctype html><html><head><style>
        body { background: #fff; color: #111; } .faint { color: #bbb; } a.bare:focus { outline: none; }
      </style></head><body>
        <h1>One</h1><h1>Two</h1>
        <input id="nameless"><label for="named">Named</label><input id="named">
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <p class="faint">hard to read</p><p>easy to read</p>
        <a class="bare" href="#x">no focus ring</a><a href="#y">default ring</a>
      </body></html>`);
    const result = await probe.evaluate(audit);
    expect(result.unnamed).toEqual(['input#nameless ""']);
    expect(result.noAlt).toHaveLength(1);
    expect(result.lowContrast).toEqual([expect.stringMatching(/^p "hard to read" 1\.\d\d:1$/)]);
    expect(result.headings).toBe(2);
    expect(result.main).toBe(0);
    expect(await unfocusedLookingFocus(probe)).toEqual(['a "no focus ring"']);
    await probe.close();
  });

  it('the sign-in page', async () => {
    await page.goto(`${h.url}/login`);
    const result = await page.evaluate(audit);
    expect(result).toMatchObject({ unnamed: [], noAlt: [], lowContrast: [], headings: 1, main: 1 });
    expect(await unfocusedLookingFocus(page)).toEqual([]);
    await page.getByLabel('Password').fill(LIVE_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  });

  it('every page after sign-in: names, alternatives, contrast, one h1 in a main landmark, visible focus', async () => {
    const album = h.app.database.sqlite.prepare('select rating_key from albums order by rating_key limit 1').pluck().get() as string;
    const paths = [
      '/',
      '/setup',
      '/ratings',
      '/ratings/plan',
      '/ratings/tools',
      '/ratings/attention',
      '/explorer',
      '/explorer?q=love',
      `/explorer/item/${album}`,
      '/reports',
      '/reports?kind=album',
      '/settings',
      '/playlists',
      '/playlists/seed',
      '/playlists/history',
    ];
    const problems: Record<string, Partial<Audit> & { focus?: string[] }> = {};
    for (const path of paths) {
      const res = await page.goto(`${h.url}${path}`);
      expect(res?.status(), path).toBe(200);
      const result = await page.evaluate(audit);
      const focus = await unfocusedLookingFocus(page);
      const found: Partial<Audit> & { focus?: string[] } = {};
      if (result.unnamed.length) found.unnamed = result.unnamed;
      if (result.noAlt.length) found.noAlt = result.noAlt;
      if (result.lowContrast.length) found.lowContrast = result.lowContrast.slice(0, 8);
      if (result.headings !== 1) found.headings = result.headings;
      if (result.main !== 1) found.main = result.main;
      if (focus.length) found.focus = focus;
      if (Object.keys(found).length) problems[path] = found;
    }
    expect(problems).toEqual({});
  });
});
