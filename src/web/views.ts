// Rendering: one Eta instance over src/views (dist/views after a build), and the one way every page
// is rendered — `renderPage` hands each view the same frame: title, nav, the signed-in flag, the CSRF
// token (for the meta tag and the csrf partial) and the pending flash message.
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Context } from 'koa';
import type { SectionsView } from './sections.js';
import { currentSession, type Flash, type Sessions } from './auth/sessions.js';
import { fmt, type Fmt } from './format.js';

export interface NavEntry {
  href: string;
  label: string;
}

/** Pages appear here as they exist; playlists join when they land. */
export const NAV: readonly NavEntry[] = [
  { href: '/', label: 'Dashboard' },
  { href: '/ratings', label: 'Ratings' },
  { href: '/explorer', label: 'Explorer' },
  { href: '/reports', label: 'Reports' },
  { href: '/playlists', label: 'Playlists' },
  { href: '/setup', label: 'Setup' },
  { href: '/settings', label: 'Settings' },
];

export interface PageFrame {
  title: string;
  path: string;
  nav: ReadonlyArray<NavEntry & { current: boolean }>;
  signedIn: boolean;
  csrfToken: string;
  flash: Flash | null;
  version: string;
  fmt: Fmt;
  /** With several music sections chosen: the one this page is about and the others (src/web/sections.ts). */
  sections: SectionsView | null;
}

export interface Views {
  /** A full page in the layout. `data` is the page's own data, reached in the view as `it.page`. */
  page(ctx: Context, view: string, title: string, page: object, status?: number): Promise<void>;
  /** A partial alone (htmx swaps), with the same frame so fragments can include the csrf partial. */
  fragment(ctx: Context, view: string, page: object, status?: number): void;
}

/** `cacheTemplates`: compile each template once even when running from source (NODE_ENV=production). */
export function createViews(sessions: Sessions, version: string, options: { cacheTemplates?: boolean } = {}): Views {
  const eta = new Eta({
    views: fileURLToPath(new URL('../views/', import.meta.url)),
    cache: !import.meta.url.endsWith('.ts') || options.cacheTemplates === true,
    autoEscape: true,
  });
  const frame = (ctx: Context, title: string, flash: Flash | null): PageFrame => ({
    title,
    path: ctx.path,
    nav: NAV.map((entry) => ({ ...entry, current: entry.href === '/' ? ctx.path === '/' : ctx.path.startsWith(entry.href) })),
    signedIn: currentSession(ctx) !== null,
    csrfToken: (ctx.state.loginCsrf as string | undefined) ?? currentSession(ctx)?.csrf_token ?? '',
    flash,
    version,
    fmt,
    sections: (ctx.state.sections as SectionsView | undefined) ?? null,
  });
  return {
    async page(ctx, view, title, page, status = 200) {
      const flash = (ctx.state.flash as Flash | undefined) ?? (await sessions.takeFlash(ctx));
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = eta.render(`pages/${view}`, { ...frame(ctx, title, flash), page });
    },
    fragment(ctx, view, page, status = 200) {
      ctx.status = status;
      ctx.type = 'html';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = eta.render(`partials/${view}`, { ...frame(ctx, '', null), page });
    },
  };
}
