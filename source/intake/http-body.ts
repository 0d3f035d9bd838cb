import type { IncomingMessage } from 'node:http';

export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; tooLarge: true; bytes: number }
  | { ok: false; tooLarge: false; error: string };

/**
 * Reads a request body up to `maxBytes`, counting as it streams: a body over the cap (or announcing
 * one in Content-Length) is refused before the rest is read, so a 50 MB POST never sits in memory.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ ok: false, tooLarge: true, bytes: declared });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        chunks.length = 0;
        request.pause();
        finish({ ok: false, tooLarge: true, bytes });
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.on('end', () => finish({ ok: true, text: Buffer.concat(chunks, bytes).toString('utf8') }));
    request.on('error', (error) => finish({ ok: false, tooLarge: false, error: error.message }));
    request.on('close', () =>
      finish({ ok: false, tooLarge: false, error: 'connection closed before the body ended' }),
    );
  });
}
