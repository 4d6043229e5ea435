// Reads an application/x-www-form-urlencoded body (forms and htmx) with a hard size limit. The parsed
// form is kept on ctx.state so the CSRF check and the handler read the body once.
import type { Context } from 'koa';

export const FORM_LIMIT = 64 * 1024;

export async function readForm(ctx: Context, limit = FORM_LIMIT): Promise<URLSearchParams> {
  const cached = ctx.state.form as URLSearchParams | undefined;
  if (cached) return cached;
  let form = new URLSearchParams();
  if (ctx.is('application/x-www-form-urlencoded')) {
    const declared = Number(ctx.get('content-length') || 0);
    if (declared > limit) ctx.throw(413, `form body is larger than ${limit / 1024} KiB`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) ctx.throw(413, `form body is larger than ${limit / 1024} KiB`);
      chunks.push(chunk);
    }
    form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  } else if (ctx.request.length && !ctx.is('multipart/form-data')) {
    ctx.throw(415, 'expected a form (application/x-www-form-urlencoded)');
  }
  ctx.state.form = form;
  return form;
}
