// Shared by the detector benches: the engine to use, and raw Engine API calls for the bench's
// own setup (exec), which the Docker port does not offer.
import http from 'node:http';

export const dockerHost = process.env.DOCKER_HOST || 'unix:///tmp/brig-engine/docker.sock';

export function socketPath() {
  if (!dockerHost.startsWith('unix://'))
    throw new Error(`bench needs a local unix socket DOCKER_HOST (got ${dockerHost})`);
  return dockerHost.slice('unix://'.length);
}

/** One Engine API request; resolves with { status, body }. */
export function engineRequest(method, path, body) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        socketPath: socketPath(),
        method,
        path,
        headers: payload
          ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, body: text ? safeJson(text) : undefined }));
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export { quantile } from './stats.mjs';

export const round = (n, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
