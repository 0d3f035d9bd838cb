import { createHash } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testPort } from '../helpers/engine.js';

const port = testPort();
const containers = new TestContainers(port);
let harness: Harness | undefined;

beforeAll(() => port.ping());
afterAll(async () => {
  await harness?.close();
  await containers.cleanup();
});

describe('an alert → pause + capture through the engine (capture = true)', () => {
  it('pauses first, then journals a capture record whose manifest hash matches the bundle', async () => {
    const victim = await containers.run('evid', {
      Cmd: ['sh', '-c', 'echo secret > /tmp/evidence-a; echo x > /etc/evidence-b; sleep 3600 & sleep 3600'],
      HostConfig: { NetworkMode: 'none' },
    });
    await new Promise((r) => setTimeout(r, 500));
    harness = await startHarness(
      {
        'p.toml':
          'id = "pause-capture"\nname = "pause and capture"\nrules = ["evid"]\ncapture = true\n[action]\nPause = []\n',
      },
      { armed: true, evidence: { dir: await mkdtemp(path.join(tmpdir(), 'brig-evidence-')) } },
    );
    await harness.until((s) => s.containers.some((c) => c.id === victim.id), 'victim in inventory');
    harness.engine.handleAlert(alertFor(victim.name, 'evid'));
    const snap = await harness.until(
      (s) => s.containers.find((c) => c.id === victim.id)?.evidence !== undefined,
      'the capture',
      60_000,
    );
    const evidence = snap.containers.find((c) => c.id === victim.id)!.evidence!;
    const records = await harness.records();
    const action = records.findIndex((r) => r.type === 'action' && r.action === 'pause' && r.result === 'ok');
    const capture = records.findIndex((r) => r.type === 'capture');
    // Containment first: the pause's record precedes the capture's.
    expect(action).toBeGreaterThanOrEqual(0);
    expect(capture).toBeGreaterThan(action);
    const record = records[capture] as { dir: string; manifest_sha256: string; container: { id: string } };
    expect(record.container.id).toBe(victim.id);
    expect(record.dir).toBe(evidence.dir);
    const manifest = await readFile(path.join(record.dir, 'manifest.json'));
    expect(createHash('sha256').update(manifest).digest('hex')).toBe(record.manifest_sha256);
    const changes = await readFile(path.join(record.dir, 'changes.json'), 'utf8');
    expect(changes).toContain('/tmp/evidence-a');
    expect(changes).toContain('/etc/evidence-b');
    expect((await port.inspectContainer(victim.id)).State.Status).toBe('paused');
  }, 120_000);
});
