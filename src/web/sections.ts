// Which music section a page is about. With several sections chosen, each has its own pages (its own
// state); the one a person looks at is remembered in a cookie, switched from the header on every page
// (GET /section?name=…&back=…), and named in the header; a program calling the API names it in the
// X-Sagewire-Section header (or ?section= on /api). Sign-in, Setup, Settings and the first-run wizard are
// the same for every section and always answered by the main section's pages.
import type Koa from 'koa';

export const SECTION_COOKIE = 'sagewire_section';

/** Paths whose pages are shared by every section. */
const SHARED = [/^\/login/, /^\/logout/, /^\/setup/, /^\/settings/, /^\/welcome/, /^\/static\//];

export interface SectionsView {
  /** The section this page is about. */
  current: string;
  /** Every section looked after, the main one first. */
  all: string[];
  /** Where the switcher's links come back to. */
  back: string;
}

export interface SectionPages {
  /** The main section's pages (and every shared page). */
  main: Koa.Middleware;
  mainName(): string;
  names(): string[];
  /** Another section's pages, by name (case-insensitive). */
  extra(name: string): { name: string; handle: Koa.Middleware } | undefined;
}

/** A same-site path to come back to (never another origin, never a protocol-relative URL). */
function safeBack(raw: unknown): string {
  const back = typeof raw === 'string' ? raw : '/';
  return back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') && back.length <= 512 ? back : '/';
}

export function sectionDispatch(pages: SectionPages): Koa.Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/section' && ctx.method === 'GET') {
      const name = typeof ctx.query.name === 'string' ? ctx.query.name : '';
      const known = pages.names().find((n) => n.toLowerCase() === name.toLowerCase());
      if (!known) return ctx.throw(404, `No music section “${name.slice(0, 100)}” is chosen in Setup.`);
      ctx.cookies.set(SECTION_COOKIE, encodeURIComponent(known), {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.secure,
        maxAge: 365 * 24 * 3600 * 1000,
      });
      ctx.redirect(safeBack(ctx.query.back));
      return;
    }
    const names = pages.names();
    // A program calling the API names the section in a header (or ?section= on /api); a browser has the cookie.
    const asked =
      ctx.get('x-sagewire-section') || (ctx.path.startsWith('/api/') && typeof ctx.query.section === 'string' ? ctx.query.section : '');
    if (asked && !names.some((n) => n.toLowerCase() === asked.toLowerCase())) {
      return ctx.throw(404, `No music section “${asked.slice(0, 100)}” is chosen in Setup (chosen: ${names.join(', ')}).`);
    }
    const cookie = ctx.cookies.get(SECTION_COOKIE);
    let chosen: string | null = asked || null;
    if (!chosen) {
      try {
        chosen = cookie ? decodeURIComponent(cookie) : null;
      } catch {
        chosen = null;
      }
    }
    const shared = SHARED.some((re) => re.test(ctx.path));
    const extra = chosen && !shared ? pages.extra(chosen) : undefined;
    if (names.length > 1) {
      // Shared pages name the section chosen too: the header reads the same on every page.
      const current = extra?.name ?? names.find((n) => n.toLowerCase() === chosen?.toLowerCase()) ?? pages.mainName();
      ctx.state.sections = { current, all: names, back: safeBack(ctx.url) } satisfies SectionsView;
    }
    await (extra?.handle ?? pages.main)(ctx, next);
  };
}
