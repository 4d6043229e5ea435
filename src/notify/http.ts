// The one way a notification leaves over HTTP: a POST with a timeout that follows no redirect (a redirect
// could carry the body, or a token in it, somewhere the person did not choose). Only the status is kept
// of the answer: a foreign page's body is never read, logged or shown.

export interface HttpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export class DeliveryError extends Error {}

export async function postRequest(request: HttpRequest, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new DeliveryError(networkProblem(err, timeoutMs));
  }
  await res.body?.cancel().catch(() => {});
  if (res.status >= 300 && res.status < 400)
    throw new DeliveryError(`the destination answered with a redirect (HTTP ${res.status}), which is not followed`);
  if (!res.ok) throw new DeliveryError(`the destination answered HTTP ${res.status}`);
}

/** A network failure in a sentence: its code (ECONNREFUSED, …) or the timeout, never a URL. */
function networkProblem(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
  const code = e.cause?.code;
  return code ? `could not connect (${code})` : 'could not connect';
}
