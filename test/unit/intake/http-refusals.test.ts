import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { httpRejectionReasons } from '../../../source/metrics/metrics.js';
import { call, setup, summary } from '../../helpers/intake-server.js';

/** A POST that announces a big body and waits for "100 Continue" before sending it. */
function announce(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; continued: boolean }> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        agent: false,
        headers: { expect: '100-continue', 'content-length': '5000000', ...headers },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode!, continued });
      },
    );
    req.on('continue', () => {
      continued = true;
      req.destroy();
    });
    req.on('error', (error) => (continued ? resolve({ status: 0, continued }) : reject(error)));
  });
}

const counter = async (s: Awaited<ReturnType<typeof setup>>) =>
  await s.options.metrics.registry.getSingleMetricAsString('brig_http_rejected_total');

describe('HTTP refusals: counted by reason, journaled as a summary, never one record per request', () => {
  it('Expect: 100-continue checks the token and the path before the size, and journals nothing per request', async () => {
    const s = await setup({ token: 'sekrit', rejectionSummaryMs: 60_000 });
    // Issue 11: each of these journaled a `rejected` record (30k in 15 s from 4 clients).
    const answers = [];
    for (let i = 0; i < 200; i++)
      answers.push(await announce(s.port, '/v1/alerts', { authorization: 'Bearer wrong' }));
    expect(new Set(answers.map((a) => `${a.status} ${a.continued}`))).toEqual(new Set(['401 false']));
    // The path before the size, too: an unknown endpoint is 404 whatever it announces.
    expect(await announce(s.port, '/v1/nope', { authorization: 'Bearer sekrit' })).toEqual({
      status: 404,
      continued: false,
    });
    // The right token and an oversized body: 413, still before any of it is sent.
    expect(await announce(s.port, '/v1/alerts', { authorization: 'Bearer sekrit' })).toEqual({
      status: 413,
      continued: false,
    });
    expect(s.journal).toEqual([]);
    expect(await counter(s)).toContain('brig_http_rejected_total{reason="unauthorized"} 200');
    await s.server.close();
    expect(s.journal).toEqual([summary({ unauthorized: 200, not_found: 1, body_too_large: 1 })]);
  });

  it('a flood of refusals journals at most one summary per interval, and the counts add up', async () => {
    const s = await setup({ token: 'sekrit', rejectionSummaryMs: 300 });
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < 1500) {
      await call(s.port, 'POST', '/v1/alerts', '{}', { authorization: 'Bearer nope' });
      await call(s.port, 'GET', '/v1/nothing-here');
      sent += 2;
    }
    const elapsed = Date.now() - started;
    await s.server.close();
    expect(s.journal.every((e) => e.type === 'rejected' && e.reason === 'summary')).toBe(true);
    // One summary per started interval at most, plus the one written at close.
    expect(s.journal.length).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 1);
    const total = s.journal.reduce(
      (n, e) =>
        n + Object.values((e as { counts: Record<string, number> }).counts).reduce((a, b) => a + b, 0),
      0,
    );
    expect(total).toBe(sent);
  });

  it('the reason label is a closed set, every reason exported from 0', async () => {
    const s = await setup();
    const text = await counter(s);
    for (const reason of httpRejectionReasons)
      expect(text).toContain(`brig_http_rejected_total{reason="${reason}"} 0`);
    expect(text.match(/^brig_http_rejected_total\{/gm)).toHaveLength(httpRejectionReasons.length);
  });
});
