import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { testDockerHost, testPort } from '../helpers/engine.js';

const port = testPort();
let brig: BrigProcess | undefined;

beforeAll(() => port.ping());
afterAll(() => {
  if (brig && brig.child.exitCode === null) brig.child.kill('SIGKILL');
});

/** POSTs `ids` as one NDJSON body; resolves with the status, or 0 when the connection died. */
function post(agent: Agent, brigPort: number, ids: string[]): Promise<number> {
  const body = ids.map((id) => JSON.stringify({ id, rule: 'flood', severity: 'info' })).join('\n');
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port: brigPort, method: 'POST', path: '/v1/alerts', agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

describe('202 survives kill -9 (issue 11 #9)', () => {
  it('kill -9 during a POST flood: every alert answered 202 is in the journal', async () => {
    brig = await spawnBrig({}, [], { dockerHost: testDockerHost() });
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const answered: string[] = [];
    let next = 0;
    let killed = false;
    // 16 clients, batches of 1 to 20 alerts, as fast as answers come, until Brig is killed.
    const client = async () => {
      while (!killed) {
        const ids = Array.from({ length: 1 + (next % 20) }, () => `k-${next++}`);
        const status = await post(agent, brig!.port, ids);
        // Every 202 counts, even one read after the kill: Brig sent it before it died.
        if (status === 202) answered.push(...ids);
      }
    };
    const clients = Array.from({ length: 16 }, client);
    await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1000));
    killed = true;
    brig.child.kill('SIGKILL');
    await Promise.all([brig.exited, ...clients]);
    agent.destroy();

    const journaled = new Map<string, number>();
    for (const line of (await readFile(brig.journalFile, 'utf8')).split('\n')) {
      if (!line.startsWith('{')) continue;
      let record: { type?: string; alert?: { id?: string } };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        continue; // a torn last line
      }
      if (record.type === 'alert' && record.alert?.id)
        journaled.set(record.alert.id, (journaled.get(record.alert.id) ?? 0) + 1);
    }
    const missing = answered.filter((id) => !journaled.has(id));
    console.log(
      `kill -9 flood: answered 202: ${answered.length} alerts, journaled: ${journaled.size}, missing: ${missing.length}`,
    );
    expect(answered.length).toBeGreaterThan(100);
    expect(missing).toEqual([]);
    // One alert record per alert: the engine did not journal the intake's alerts a second time.
    expect([...journaled.values()].filter((n) => n > 1)).toEqual([]);
  });
});
