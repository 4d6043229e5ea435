// Reads a JSON request body with a hard size limit, before anything else touches it.
import type { Context } from 'koa';

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readJsonBody(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.is('application/json')) throw new BodyError(415, 'body: send Content-Type: application/json');
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw new BodyError(413, `body: larger than ${limitBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyError(413, `body: larger than ${limitBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BodyError(400, 'body: not valid JSON');
  }
}
