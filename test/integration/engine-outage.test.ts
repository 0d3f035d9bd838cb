import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerodePort } from '../../source/docker/dockerode-port.js';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers } from '../helpers/engine.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));
// A disposable engine of this test's own: stopping it never disturbs the shared test engine.
const dir = `/tmp/brig-outage-${process.pid}`;
const env = { ...process.env, BRIG_ENGINE_DIR: dir, BRIG_ENGINE_BRIDGE: `brigout${process.pid % 10000}` };
const engine = (command: 'up' | 'down') => run('bash', [script, command], { env, timeout: 180_000 });

let harness: Harness | undefined;
let containers: TestContainers;

beforeAll(async () => {
  await engine('up');
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await engine('up').catch(() => undefined);
  await containers?.cleanup();
  await engine('down');
  await rm(dir, { recursive: true, force: true });
}, 180_000);

describe('the Docker engine goes away mid-run and comes back', () => {
  it('marks containers stale, fails actions clearly after their retries, journals all, and recovers', async () => {
    const port = new DockerodePort(`unix://${dir}/docker.sock`);
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
