import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../source/domain/alert.js';
import { BoundedQueue } from '../../../source/intake/bounded-queue.js';
import { isLoopbackHost } from '../../../source/config/listen-address.js';
import { isJournaled } from '../../../source/intake/journaled.js';
import type { CommandResult } from '../../../source/domain/snapshot.js';
import { call, setup, summary } from '../../helpers/intake-server.js';

const falcoEvent = JSON.stringify({
  uuid: 'u-1',
  rule: 'Terminal shell in container',
  priority: 'Notice',
  output: 'x',
  output_fields: { 'container.id': '3f9a1c2b7d4e' },
});

describe('intake HTTP server', () => {
  it('202: accepts native NDJSON, lists rejected items by index and journals them', async () => {
    const s = await setup();
    const body =
      '{"rule":"a","severity":"high","container":"web-1"}\n{"rule":"b","severity":"Sometimes"}\nnot json\n';
    const answer = await call(s.port, 'POST', '/v1/alerts', body);
    expect(answer.status).toBe(202);
    expect(answer.json()).toEqual({
      accepted: 1,
      rejected: [
        { index: 1, reason: 'severity "Sometimes" is not one of Info, Low, Medium, High, Critical' },
        { index: 2, reason: 'invalid JSON at line 3' },
      ],
    });
    const taken = s.queue.tryTake();
    expect(taken).toMatchObject({ rule: 'a', severity: 'High', container: { name: 'web-1' } });
    // Journaled before the 202, as the very object queued (the engine then skips its own record).
    expect(s.journaled).toEqual([{ type: 'alert', alert: taken }]);
    expect(isJournaled(taken!)).toBe(true);
    expect(s.journal).toEqual([
      {
        type: 'rejected',
        source: 'http:/v1/alerts',
        reason: expect.stringMatching(/^severity/),
        raw: '{"rule":"b","severity":"Sometimes"}',
      },
      { type: 'rejected', source: 'http:/v1/alerts', reason: 'invalid JSON at line 3', raw: 'not json' },
    ]);
  });

  it('/v1/falco and /v1/alertmanager use their formats', async () => {
    const s = await setup();
    expect((await call(s.port, 'POST', '/v1/falco', `[${falcoEvent},${falcoEvent}]`)).json()).toEqual({
      accepted: 2,
      rejected: [],
    });
    expect(s.queue.tryTake()).toMatchObject({
      id: 'u-1',
      source: 'falcosidekick',
      severity: 'Low',
      container: { id: '3f9a1c2b7d4e' },
    });
    const am = {
      version: '4',
      alerts: [
        { status: 'resolved', labels: { alertname: 'X' } },
        { status: 'firing', labels: { alertname: 'Y', name: 'db' } },
      ],
    };
    const answer = await call(s.port, 'POST', '/v1/alertmanager', JSON.stringify(am));
    expect(answer.status).toBe(202);
    expect(answer.json()).toEqual({ accepted: 1, rejected: [], ignored: 1 });
  });

  it('each shared sample POSTed to its endpoint becomes the right alerts with the right container', async () => {
    const s = await setup();
    const sample = (name: string) => readFileSync(`test/fixtures/samples/${name}`, 'utf8');
    const posts = [
      ['/v1/falco', 'falco-terminal-shell.json'],
      ['/v1/falco', 'falcosidekick-write-below-etc.json'],
      ['/v1/falco', 'falco-host-event.json'],
      ['/v1/alertmanager', 'alertmanager-v4.json'],
      ['/v1/alerts', 'native.ndjson'],
    ];
    const answers = [];
    for (const [path, file] of posts) answers.push((await call(s.port, 'POST', path!, sample(file!))).json());
    expect(answers).toEqual([
      { accepted: 1, rejected: [] },
      { accepted: 1, rejected: [] },
      { accepted: 1, rejected: [] },
      { accepted: 1, rejected: [], ignored: 1 },
      { accepted: 3, rejected: [] },
    ]);
    const alerts: Alert[] = [];
    for (let a = s.queue.tryTake(); a; a = s.queue.tryTake()) alerts.push(a);
    expect(alerts.map((a) => [a.source, a.rule, a.severity, a.container ?? null])).toEqual([
      ['falco', 'Terminal shell in container', 'Low', { id: '3f9a1c2b7d4e', name: 'payments-api' }],
      ['falcosidekick', 'Write below etc', 'High', { id: 'a41be09c33f2', name: 'legacy-cron' }],
      ['falco', 'Read sensitive file untrusted', 'Medium', null],
      [
        'alertmanager',
        'ContainerCpuSaturated',
        'Medium',
        { id: '5e0c7a9d1b2f44e8a6c3d0f7b9e1a2c4d5f60718293a4b5c6d7e8f9a0b1c2d3e', name: 'batch-worker-2' },
      ],
      ['ndjson', 'fork_storm', 'High', { name: 'demo-victim' }],
      ['ndjson', 'crypto_miner_dns', 'Critical', { name: 'web-3' }],
      ['ndjson', 'port_scan', 'Medium', null],
    ]);
    expect(alerts[1]!.id).toBe('8c1b0d6e-5a2f-4c39-9f1e-2d7a4b6c0e11');
    expect(alerts[3]!.id).toBe('b7d1e0c3a9f24e51@2026-11-20T09:30:00.000Z');
    // The sample's resolved entry is journaled (issue 13), nothing else is.
    expect(s.journal.map((e) => e.type)).toEqual(['resolved']);
  });

  it('400: a body that holds no JSON at all', async () => {
    const s = await setup();
    const answer = await call(s.port, 'POST', '/v1/alerts', '{{{');
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, reason: 'invalid JSON at line 1' }],
    });
    expect((await call(s.port, 'POST', '/v1/alerts', '')).status).toBe(400);
    expect(s.journal).toHaveLength(2);
    // A flood of bad lines: the answer lists the first 1,000 and counts them all; all are journaled.
    const flood = await call(s.port, 'POST', '/v1/alerts', '1\n'.repeat(5000));
    expect(flood.status).toBe(202);
    expect(flood.json()).toMatchObject({ accepted: 0, rejected_total: 5000 });
    expect((flood.json() as { rejected: unknown[] }).rejected).toHaveLength(1000);
    expect(s.journal).toHaveLength(5002);
  });

  it('401: every POST needs the bearer token when one is set; the right one passes', async () => {
    const s = await setup({ token: 's3cret' });
    expect((await call(s.port, 'POST', '/v1/falco', falcoEvent)).status).toBe(401);
    const wrong = await call(s.port, 'POST', '/v1/falco', falcoEvent, { authorization: 'Bearer s3cre' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    expect(
      (await call(s.port, 'POST', '/v1/falco', falcoEvent, { authorization: 'Basic s3cret' })).status,
    ).toBe(401);
    expect(s.queue.size).toBe(0);
    expect(
      (await call(s.port, 'POST', '/v1/falco', falcoEvent, { authorization: 'Bearer s3cret' })).status,
    ).toBe(202);
    expect(s.queue.size).toBe(1);
    // GETs stay open: a scraper needs no token.
    expect((await call(s.port, 'GET', '/healthz')).status).toBe(200);
  });

  it('413: a declared Content-Length over the cap is refused before reading', async () => {
    const s = await setup({ maxBodyBytes: 1000 });
    const answer = await call(s.port, 'POST', '/v1/alerts', 'x'.repeat(1001));
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(answer.json()).toEqual({ error: 'body too large: over 1000 bytes' });
    // Counted now, journaled in the next summary (here: when the server closes).
    expect(s.journal).toEqual([]);
    await s.server.close();
    expect(s.journal).toEqual([summary({ body_too_large: 1 })]);
  });

  it('413 to "Expect: 100-continue" with an oversized Content-Length, before any body is sent', async () => {
    const s = await setup({ maxBodyBytes: 1000 });
    const { status, continued } = await new Promise<{ status: number; continued: boolean }>(
      (resolve, reject) => {
        let continued = false;
        const req = request(
          {
            host: '127.0.0.1',
            port: s.port,
            method: 'POST',
            path: '/v1/alerts',
            agent: false,
            headers: { expect: '100-continue', 'content-length': '5000000' },
          },
          (res) => {
            res.resume();
            resolve({ status: res.statusCode!, continued });
          },
        );
        req.on('continue', () => (continued = true));
        req.on('error', reject);
      },
    );
    expect([status, continued]).toEqual([413, false]);
    expect(s.journal).toEqual([]);
    // A body within the cap is invited and taken.
    const ok = await call(s.port, 'POST', '/v1/alerts', '{"rule":"a","severity":"low"}', {
      expect: '100-continue',
    });
    expect(ok.status).toBe(202);
    await s.server.close();
    expect(s.journal).toEqual([summary({ body_too_large: 1 })]);
  });

  it('413: a chunked body is cut off while streaming, long before its end', async () => {
    const s = await setup({ maxBodyBytes: 64 * 1024 });
    const { status, sentBytes } = await new Promise<{ status: number; sentBytes: number }>(
      (resolve, reject) => {
        let sentBytes = 0;
        let stop = false;
        const req = request(
          { host: '127.0.0.1', port: s.port, method: 'POST', path: '/v1/alerts', agent: false },
          (res) => {
            stop = true;
            res.resume();
            resolve({ status: res.statusCode!, sentBytes });
          },
        );
        req.on('error', (e) => (stop ? undefined : reject(e)));
        const chunk = Buffer.alloc(16 * 1024, 'x');
        // Up to 50 MB, one chunk at a time, stopping as soon as the answer arrives.
        const pump = () => {
          if (stop || sentBytes >= 50 * 1024 * 1024) return void req.end();
          sentBytes += chunk.length;
          if (req.write(chunk)) setImmediate(pump);
          else req.once('drain', pump);
        };
        pump();
      },
    );
    expect(status).toBe(413);
    expect(sentBytes).toBeLessThan(50 * 1024 * 1024);
  });

  it('a batch that does not fit waits for the engine to make room, then is taken instead of shed', async () => {
    const s = await setup({ queue: new BoundedQueue<Alert>(3), fullQueueWaitMs: 60_000 });
    const line = (n: number) => JSON.stringify({ id: `w${n}`, rule: 'r', severity: 'low' });
    expect((await call(s.port, 'POST', '/v1/alerts', [0, 1].map(line).join('\n'))).status).toBe(202);
    const waiting = call(s.port, 'POST', '/v1/alerts', [2, 3].map(line).join('\n'));
    // The engine takes one alert once the request is in: room for the batch of two.
    await new Promise((r) => setTimeout(r, 50));
    expect(s.queue.tryTake()).toMatchObject({ id: 'w0' });
    const answer = await waiting;
    expect(answer.status).toBe(202);
    expect(answer.json()).toMatchObject({ accepted: 2 });
    expect(s.journal.filter((e) => e.type === 'rejected')).toEqual([]);
    expect(s.queue.size).toBe(3);
  });

  it('503 + Retry-After when the queue is full: every shed alert is counted and journaled', async () => {
    const s = await setup({ queue: new BoundedQueue<Alert>(3) });
    const line = (n: number) => JSON.stringify({ id: `a${n}`, rule: 'r', severity: 'low' });
    expect((await call(s.port, 'POST', '/v1/alerts', [0, 1].map(line).join('\n'))).status).toBe(202);
    const answer = await call(s.port, 'POST', '/v1/alerts', [2, 3, 4].map(line).join('\n'));
    expect(answer.status).toBe(503);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.json()).toMatchObject({ accepted: 0, shed: 3, rejected: [] });
    expect(s.queue.size).toBe(2);
    expect(
      s.journal.map(
        (e) => e.type === 'rejected' && [e.reason, (JSON.parse(String(e.raw)) as { id: string }).id],
      ),
    ).toEqual([
      ['shed: queue full', 'a2'],
      ['shed: queue full', 'a3'],
      ['shed: queue full', 'a4'],
    ]);
    expect(await s.options.metrics.registry.getSingleMetricAsString('brig_shed_total')).toContain(
      'brig_shed_total 3',
    );
    // A batch that fits is taken again once the engine catches up.
    s.queue.tryTake();
    expect((await call(s.port, 'POST', '/v1/alerts', [2, 3].map(line).join('\n'))).status).toBe(202);
  });

  it('arm, disarm and restore always need a token: 403 without one configured, 401 with a wrong one', async () => {
    const open = await setup();
    const refused = await call(open.port, 'POST', '/v1/arm');
    expect(refused.status).toBe(403);
    expect(refused.json()).toEqual({ error: expect.stringMatching(/--token-file/) });
    expect(open.commands).toEqual([]);

    const s = await setup({ token: 't' });
    const auth = { authorization: 'Bearer t' };
    expect((await call(s.port, 'POST', '/v1/disarm')).status).toBe(401);
    expect(
      (await call(s.port, 'POST', '/v1/restore/web-1', undefined, { authorization: 'Bearer x' })).status,
    ).toBe(401);
    expect(s.commands).toEqual([]);
    const armed = await call(s.port, 'POST', '/v1/arm', undefined, auth);
    expect([armed.status, armed.json()]).toEqual([200, { armed: true, message: 'arm done' }]);
    expect((await call(s.port, 'POST', '/v1/disarm', undefined, auth)).json()).toEqual({
      armed: false,
      message: 'disarm done',
    });
    expect((await call(s.port, 'POST', '/v1/restore/web%2D1', undefined, auth)).status).toBe(200);
    const missing = await call(s.port, 'POST', '/v1/restore/nope', undefined, auth);
    expect([missing.status, missing.json()]).toEqual([404, { error: 'container nope not found' }]);
    expect((await call(s.port, 'POST', '/v1/restore/web-1-clean', undefined, auth)).status).toBe(409);
    expect(s.commands).toEqual([
      { type: 'arm' },
      { type: 'disarm' },
      { type: 'restore', container: 'web-1' },
      { type: 'restore', container: 'nope' },
      { type: 'restore', container: 'web-1-clean' },
    ]);
  });

  it('415: a compressed body is refused with a reason, not parsed as garbage', async () => {
    const s = await setup();
    const answer = await call(s.port, 'POST', '/v1/alerts', Buffer.from([0x1f, 0x8b, 0x08]), {
      'content-encoding': 'gzip',
    });
    expect([answer.status, answer.json()]).toEqual([
      415,
      { error: expect.stringMatching(/gzip is not supported/) },
    ]);
  });

  it('/healthz answers 503 and names the error while the journal cannot be written', async () => {
    const s = await setup({ journalHealth: () => ({ ok: false, error: 'ENOSPC: no space left on device' }) });
    const health = await call(s.port, 'GET', '/healthz');
    expect([health.status, health.json()]).toEqual([
      503,
      {
        engines: [{ host: 'unix:///var/run/docker.sock', up: true }],
        journal: { ok: false, error: 'ENOSPC: no space left on device' },
      },
    ]);
  });

  it('command outcomes map to statuses by their code, not their words', async () => {
    const s = await setup({
      token: 't',
      commands: async (): Promise<CommandResult> => ({
        ok: false,
        message: 'not found anywhere',
        code: 'refused',
      }),
    });
    const answer = await call(s.port, 'POST', '/v1/restore/x', undefined, { authorization: 'Bearer t' });
    expect(answer.status).toBe(409);
  });

  it('GET /healthz, GET /metrics, 404 and 405', async () => {
    const s = await setup();
    await call(s.port, 'POST', '/v1/alerts', '{"rule":"a"}');
    expect((await call(s.port, 'GET', '/healthz')).json()).toEqual({
      engines: [{ host: 'unix:///var/run/docker.sock', up: true }],
      journal: { ok: true },
    });
    const metrics = await call(s.port, 'GET', '/metrics');
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('brig_rejected_total{reason="severity"} 1');
    expect((await call(s.port, 'GET', '/v2/nothing')).status).toBe(404);
    const wrongMethod = await call(s.port, 'GET', '/v1/alerts');
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'POST']);
  });

  it('refuses to listen on a non-loopback address without a token', async () => {
    await expect(setup({ host: '0.0.0.0' })).rejects.toThrow(
      /0\.0\.0\.0 is not a loopback address.*--token-file/,
    );
    await expect(setup({ host: '::' })).rejects.toThrow(/not a loopback address/);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', 'example.org', '128.0.0.1', '::ffff:10.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
