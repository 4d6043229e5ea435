// Content negotiation and paging shared by every list endpoint. Plex answers XML unless the request
// accepts JSON; paging comes from X-Plex-Container-Start/Size as headers or query parameters.
import type { Context } from 'koa';
import { toXml } from './xml.js';

type Json = Record<string, unknown>;

export function wantsJson(ctx: Context): boolean {
  return (ctx.get('Accept') || '').includes('application/json');
}

/** An `X-Plex-*` value from the header or, as Plex allows, the query string. */
export function plexParam(ctx: Context, name: string): string | undefined {
  const header = ctx.get(name);
  if (header !== '') return header;
  const q = ctx.query[name];
  return Array.isArray(q) ? q[0] : q;
}

export class BadRequest extends Error {}

export function sendContainer(ctx: Context, container: Json): void {
  ctx.set('X-Plex-Protocol', '1.0');
  ctx.set('Cache-Control', 'no-cache');
  if (wantsJson(ctx)) {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ MediaContainer: container });
  } else {
    ctx.type = 'text/xml;charset=utf-8';
    ctx.body = toXml('MediaContainer', container);
  }
}

export interface Paging {
  start: number;
  size: number | undefined;
}

export function readPaging(ctx: Context): Paging {
  const parse = (name: string): number | undefined => {
    const raw = plexParam(ctx, name);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw new BadRequest(`${name} must be a non-negative integer`);
    return n;
  };
  return { start: parse('X-Plex-Container-Start') ?? 0, size: parse('X-Plex-Container-Size') };
}

/** Sends one page of `items` with size/totalSize/offset and the paging response headers. */
export function sendPage<T>(ctx: Context, attrs: Json, items: readonly T[], render: (item: T) => Json, key = 'Metadata'): void {
  const { start, size } = readPaging(ctx);
  const total = items.length;
  const end = size === undefined ? total : Math.min(total, start + size);
  const page: Json[] = [];
  for (let i = start; i < end; i++) page.push(render(items[i]));
  ctx.set('X-Plex-Container-Start', String(start));
  ctx.set('X-Plex-Container-Total-Size', String(total));
  sendContainer(ctx, { size: page.length, totalSize: total, offset: start, ...attrs, [key]: page.length > 0 ? page : undefined });
}
