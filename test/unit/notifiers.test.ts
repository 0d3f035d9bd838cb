import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../source/config/config-file.js';
import type { ActionRecord } from '../../source/domain/action-record.js';
import { createNotifiers, slackText } from '../../source/enforce/notifiers.js';

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
}

/** A local receiver on 127.0.0.1 whose answer per request is scripted. */
async function receiver(answer: (n: number, req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const received: Received[] = [];
  let open = 0;
  let maxOpen = 0;
  const server = http.createServer((req, res) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    // Counted closed when the answer is sent, before the client can send its next request.
    const end = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
    res.end = ((...args: unknown[]) => {
      open--;
      return end(...args);
    }) as typeof res.end;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
      });
      answer(received.length, req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { url: `http://127.0.0.1:${port}`, received, maxOpen: () => maxOpen };
}
const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

const status = (code: number) => (_n: number, _req: http.IncomingMessage, res: http.ServerResponse) => {
  res.statusCode = code;
  res.end();
};
const notifyConfig = (entries: unknown[]) => ConfigSchema.parse({ notify: entries }).notify;

const record: ActionRecord = {
  id: 'act-1',
  alert: 'falco-7f3a',
  policy: 'fork-storm-pause',
  container: { id: 'a'.repeat(64), name: 'web-1' },
  engine: 'unix:///var/run/docker.sock',
  action: 'pause',
  result: 'ok',
  attempts: 1,
  latency_ms: 84.4,
  origin: 'policy',
  ts: '2026-01-01T00:00:00.000Z',
};

describe('createNotifiers', () => {
  it('posts the ActionRecord as JSON to a generic webhook, and Slack a readable text line', async () => {
    const hook = await receiver(status(200));
    const slack = await receiver(status(200));
    const errors: string[] = [];
    const n = createNotifiers(
      notifyConfig([
        { kind: 'webhook', url: `${hook.url}/brig` },
        { kind: 'slack', url: `${slack.url}/services/T/B/secret` },
      ]),
      { onError: (m) => errors.push(m) },
    );
    n.notify(record);
    await n.close();
    expect(errors).toEqual([]);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.path).toBe('/brig');
    expect(hook.received[0]!.contentType).toBe('application/json');
    expect(JSON.parse(hook.received[0]!.body)).toEqual(record);
    expect(JSON.parse(slack.received[0]!.body)).toEqual({
      text: 'brig: pause web-1: ok in 84 ms (policy fork-storm-pause, alert falco-7f3a)',
    });
  });

  it('notify() returns before anything is sent and never throws, even with nowhere to send to', async () => {
    const hook = await receiver(status(200));
    const errors: string[] = [];
    const closedPort = await receiver(status(200));
    const deadUrl = closedPort.url;
    await new Promise((resolve) => servers.pop()!.close(resolve));
    const n = createNotifiers(
      notifyConfig([
        { kind: 'webhook', url: hook.url },
        { kind: 'webhook', url: `${deadUrl}/x`, retries: 1 },
      ]),
      { onError: (m) => errors.push(m), backoffBaseMs: 1 },
    );
    expect(n.notify(record)).toBeUndefined();
    expect(hook.received).toHaveLength(0);
    await n.close();
    expect(hook.received).toHaveLength(1);
    expect(errors).toEqual([`webhook ${deadUrl}: pause web-1: gave up after 2 attempts: ECONNREFUSED`]);
  });

  it('retries a 500 with backoff and stops once delivered', async () => {
    const hook = await receiver((n, _req, res) => {
      res.statusCode = n < 3 ? 500 : 204;
      res.end();
    });
    const errors: string[] = [];
    const n = createNotifiers(notifyConfig([{ kind: 'webhook', url: hook.url, retries: 3 }]), {
      onError: (m) => errors.push(m),
      backoffBaseMs: 1,
    });
    n.notify(record);
    await n.close();
    expect(hook.received).toHaveLength(3);
    expect(new Set(hook.received.map((r) => r.body)).size).toBe(1);
    expect(errors).toEqual([]);
  });

  it('gives up after retries + 1 attempts and says so without the secret part of the URL', async () => {
    const hook = await receiver(status(503));
    const errors: string[] = [];
    const n = createNotifiers(
      notifyConfig([{ kind: 'slack', url: `${hook.url}/services/T0/B0/s3cr3t`, retries: 2 }]),
      {
        onError: (m) => errors.push(m),
        backoffBaseMs: 1,
      },
    );
    n.notify({
      ...record,
      result: 'failed',
      attempts: 3,
      error: 'Docker: no such container',
      action: 'kill',
    });
    await n.close();
    expect(hook.received).toHaveLength(3);
    expect(errors).toEqual([`slack ${hook.url}: kill web-1: gave up after 3 attempts: HTTP 503`]);
    expect(errors[0]).not.toContain('s3cr3t');
  });

  it('does not retry a 4xx (other than 408/429)', async () => {
    const hook = await receiver(status(404));
    const errors: string[] = [];
    const n = createNotifiers(notifyConfig([{ kind: 'webhook', url: hook.url }]), {
      onError: (m) => errors.push(m),
      backoffBaseMs: 1,
    });
    n.notify(record);
    await n.close();
    expect(hook.received).toHaveLength(1);
    expect(errors).toEqual([`webhook ${hook.url}: pause web-1: HTTP 404 (not retried)`]);
  });

  it('retries a request that gets no answer within timeout_ms', async () => {
    const hook = await receiver((n, _req, res) => {
      if (n > 1) status(200)(n, _req, res);
      // The first request is left hanging.
    });
    const errors: string[] = [];
    const n = createNotifiers(
      notifyConfig([{ kind: 'webhook', url: hook.url, timeout_ms: 300, retries: 3 }]),
      {
        onError: (m) => errors.push(m),
        backoffBaseMs: 1,
      },
    );
    n.notify(record);
    await n.close();
    expect(hook.received.length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('filters by min_result and actions', async () => {
    const hook = await receiver(status(200));
    const n = createNotifiers(
      notifyConfig([{ kind: 'webhook', url: hook.url, min_result: 'failed', actions: ['kill', 'stop'] }]),
    );
    n.notify(record);
    n.notify({ ...record, id: 'k-ok', action: 'kill' });
    n.notify({ ...record, id: 'k-failed', action: 'kill', result: 'failed' });
    n.notify({ ...record, id: 'p-failed', action: 'pause', result: 'failed' });
    await n.close();
    expect(hook.received.map((r) => (JSON.parse(r.body) as ActionRecord).id)).toEqual(['k-failed']);
  });

  it('keeps at most maxInFlight deliveries open, and delivers all of them', async () => {
    // A fetch whose answers the test gives one by one.
    const pending: (() => void)[] = [];
    const fakeFetch = (() =>
      new Promise<Response>((resolve) =>
        pending.push(() => resolve(new Response(null, { status: 204 }))),
      )) as typeof fetch;
    const n = createNotifiers(notifyConfig([{ kind: 'webhook', url: 'http://127.0.0.1:9/x' }]), {
      maxInFlight: 2,
      fetch: fakeFetch,
    });
    for (let i = 0; i < 8; i++) n.notify({ ...record, id: `r${i}` });
    const closing = n.close();
    // Deliveries start synchronously in one pump: once some are seen, all that will start are.
    for (let answered = 0; answered < 8; answered++) {
      const open = Math.min(answered + 2, 8);
      await vi.waitFor(() => expect(pending.length).toBeGreaterThanOrEqual(open));
      expect(pending.length).toBe(open);
      pending[answered]!();
    }
    await closing;
    expect(pending).toHaveLength(8);
  });

  it('drops deliveries past maxQueued and reports each one', async () => {
    const hook = await receiver(status(200));
    const errors: string[] = [];
    const n = createNotifiers(notifyConfig([{ kind: 'webhook', url: hook.url }]), {
      maxQueued: 3,
      onError: (m) => errors.push(m),
    });
    for (let i = 0; i < 5; i++) n.notify({ ...record, id: `r${i}` });
    await n.close();
    expect(hook.received).toHaveLength(3);
    expect(errors).toEqual([
      `webhook ${hook.url}: pause web-1: dropped, 3 deliveries already waiting`,
      `webhook ${hook.url}: pause web-1: dropped, 3 deliveries already waiting`,
    ]);
  });

  it('close() is bounded: a receiver that never answers is abandoned and reported', async () => {
    const hook = await receiver(() => {});
    const errors: string[] = [];
    const n = createNotifiers(notifyConfig([{ kind: 'webhook', url: hook.url, timeout_ms: 600_000 }]), {
      onError: (m) => errors.push(m),
      closeTimeoutMs: 100,
    });
    n.notify(record);
    await vi.waitFor(() => expect(hook.received).toHaveLength(1));
    await n.close();
    expect(errors).toEqual([`webhook ${hook.url}: pause web-1: abandoned at shutdown`]);
    n.notify(record);
    expect(errors.at(-1)).toBe(`webhook ${hook.url}: pause web-1: not sent, notifiers are closed`);
  });
});

describe('slackText', () => {
  it('says what failed and why, for manual actions too, escaping Slack markup', () => {
    expect(
      slackText({
        ...record,
        policy: null,
        alert: null,
        origin: 'manual',
        action: 'network-disconnect',
        container: { id: 'b'.repeat(64), name: 'api<2>' },
        result: 'failed',
        attempts: 3,
        latency_ms: 1520,
        error: 'host & container network modes cannot be disconnected',
      }),
    ).toBe(
      'brig: network-disconnect api&lt;2&gt;: FAILED after 3 attempts, 1520 ms: host &amp; container network modes cannot be disconnected (manual action)',
    );
  });
});
