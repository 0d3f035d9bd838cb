import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers } from '../helpers/engine.js';
import { secondEngine } from '../helpers/second-engine.js';

const outage = secondEngine('outage', '10.213.254.1/24');
const dir = outage.dir;
const engine = (command: 'up' | 'down') => (command === 'up' ? outage.up() : outage.down());

let harness: Harness | undefined;
let containers: TestContainers;

beforeAll(async () => {
  await engine('up');
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await engine('up').catch(() => undefined);
  await containers?.cleanup();
  await outage.remove();
}, 180_000);

describe('the Docker engine goes away mid-run and comes back', () => {
  it('marks containers stale, fails actions clearly after their retries, journals all, and recovers', async () => {
    const port = outage.port();
    containers = new TestContainers(port);
    const victim = await containers.run('outage', { HostConfig: { NetworkMode: 'none' } });
    harness = await startHarness(
      {
        'p.toml': `
id = "throttle-forks"
name = "Throttle"
severity_threshold = "High"
rules = ["fork_storm"]
[action]
Throttle = { pids_limit = 64 }
`,
      },
      {
        ports: [port],
        armed: true,
        executor: {
          actionTimeoutMs: 3000,
          retryMaxAttempts: 3,
          retryBackoffBaseMs: 50,
          maxConcurrentActions: 4,
        },
      },
    );
    await harness.until((s) => s.containers.some((c) => c.id === victim.id), 'victim in inventory');

    await engine('down');
    const down = await harness.until((s) => s.engines[0]?.up === false, 'engine marked down');
    expect(down.containers.find((c) => c.id === victim.id)?.stale).toBe(true);

    // A graceful dockerd shutdown stops its containers, so a pause would rightly be `already`:
    // a throttle still applies to a stopped container, and must fail cleanly while the engine is gone.
    const view = harness.engine.handleAlert(alertFor(victim.name, 'fork_storm'));
    expect(view?.decisions[0]?.verdict).toBe('execute');
    const failed = await harness.until(
      (s) => s.actions.length === 1,
      'action attempted during the outage',
      30_000,
    );
    expect(failed.actions[0]).toMatchObject({ result: 'failed', attempts: 3 });
    expect(failed.actions[0]?.error).toMatch(/unreachable/i);
    expect(failed.actions[0]?.error).toContain(dir);

    await engine('up');
    const back = await harness.until(
      (s) => s.engines[0]?.up === true && s.containers.some((c) => c.id === victim.id && !c.stale),
      'inventory recovered',
      60_000,
    );
    // dockerd does not restart containers without a restart policy: the inventory says so.
    expect(back.containers.find((c) => c.id === victim.id)?.state).toBe('exited');

    const records = await harness.records();
    const kinds = records.map((r) =>
      r.type === 'engine' ? `engine:${r.event as string}` : (r.type as string),
    );
    expect(kinds).toEqual(
      expect.arrayContaining([
        'engine:engine-down',
        'alert',
        'decision',
        'action',
        'engine:engine-up',
        'engine:engine-reconnected',
      ]),
    );
    expect(records.find((r) => r.type === 'action')).toMatchObject({
      result: 'failed',
      container: { id: victim.id },
    });
  });
});
