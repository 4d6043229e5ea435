// The multipart/form-data body Plex POSTs to webhook receivers: a text field `payload` holding compact
// JSON and, for some events, a JPEG file field `thumb`.
import { randomBytes } from 'node:crypto';

export function webhookBody(payload: string, thumb?: Buffer): { body: Buffer; contentType: string } {
  const boundary = `------------------------${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="payload"\r\n\r\n`),
    Buffer.from(payload, 'utf8'),
    Buffer.from('\r\n'),
  ];
  if (thumb) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="thumb"; filename="thumb.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      thumb,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
