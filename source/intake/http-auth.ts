import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Bearer token check in constant time: both sides are hashed first, so the compare runs over
 * equal-length digests whatever the lengths of the token sent and the token expected.
 */
export function bearerMatches(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer[ \t]+(.+?)[ \t]*$/i.exec(header);
  const given = match ? match[1]! : '';
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
