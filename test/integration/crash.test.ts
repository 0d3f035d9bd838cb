import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../source/journal/read-journal.js';
import { rebuildState } from '../../source/journal/rebuild.js';
import { spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testDockerHost, testPort } from '../helpers/engine.js';

const port = testPort();
const containers = new TestContainers(port);
let brig: BrigProcess | undefined;
let harness: Harness | undefined;

beforeAll(() => port.ping());
afterAll(async () => {
  if (brig && brig.child.exitCode === null) brig.child.kill('SIGKILL');
  await harness?.close();
  await containers.cleanup();
});

const policy =
  'id = "flood-pause"\nname = "Flood: pause"\nseverity_threshold = "High"\nrules = ["flood"]\nmax_actions_per_hour = 100000\n[action]\nPause = []\n';

describe('kill -9 of Brig in the middle of an alert flood', () => {
  it('the journal reads back, the isolation state is rebuilt, and restore still works', async () => {
    const targets = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        containers.run(`crash${i}`, { HostConfig: { NetworkMode: 'none' } }),
      ),
    );
    brig = await spawnBrig({ 'flood.toml': policy }, ['--arm'], { dockerHost: testDockerHost() });
    await brig.waitFor((r) => r.type === 'engine' && r.event === 'start', 'engine start');

    // The flood: batches of NDJSON naming the targets round-robin, until Brig has acted a few times.
    let sent = 0;
    let killed = false;
    const flood = (async () => {
      while (!killed) {
        const batch = Array.from({ length: 200 }, () => {
          sent += 1;
          const t = targets[sent % targets.length]!;
          return JSON.stringify({
            id: `flood-${process.pid}-${sent}`,
            rule: 'flood',
            severity: 'High',
            container: t.name,
          });
        }).join('\n');
        await brig!
          .post('/v1/alerts', batch, { 'content-type': 'application/x-ndjson' })
          .catch(() => undefined);
      }
    })();
    await brig.waitFor((r) => r.type === 'action' && r.result === 'ok', 'a first pause', 30_000);
    await new Promise((r) => setTimeout(r, 150));
    brig.child.kill('SIGKILL');
    killed = true;
    await brig.exited;
    await flood;
    expect(sent).toBeGreaterThan(200);

    const { records, skipped } = await readJournal(brig.journalFile);
    // At most the torn last line of a write cut short.
    expect(skipped.length).toBeLessThanOrEqual(1);
    // Every pause Brig asked for has a durable intent, written before the call (its outcome may not be).
    const intended = records
      .filter((r) => r.type === 'intent')
      .map((r) => (r as { container: { id: string } }).container.id);
    // Alerts that raced an in-flight pause were decided `already`, not paused twice.
    expect(intended.length).toBe(new Set(intended).size);
    const paused: string[] = [];
    for (const t of targets)
      if ((await port.inspectContainer(t.id)).State.Status === 'paused') paused.push(t.id);
    expect(paused.length).toBeGreaterThan(0);
    // No container is paused without Brig knowing: each has an outcome or an open intent.
    const state = rebuildState(records);
    const known = new Set([
      ...state.isolation.keys(),
      ...[...state.openIntents.values()].map((i) => i.container.id),
    ]);
    for (const id of paused) expect(known.has(id)).toBe(true);

    // A new Brig on the same journal restores every container the old one paused.
    harness = await startHarness({ 'flood.toml': policy }, { dir: brig.dir });
    const snap = await harness.until(
      (s) => paused.every((id) => s.containers.find((c) => c.id === id)?.isolation),
      'isolation rebuilt',
    );
    expect(snap.armed).toBe(false);
    for (const id of new Set(paused)) {
      const result = await harness.engine.send({ type: 'restore', container: id });
      expect({ ok: result.ok, message: result.message }).toEqual({
        ok: true,
        message: expect.stringMatching(/restored pause/),
      });
      expect((await port.inspectContainer(id)).State.Status).toBe('running');
    }
  });
});
