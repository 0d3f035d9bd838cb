import { spawn, execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../source/journal/read-journal.js';
import { cliPath, spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { alertFor, startHarness, type Harness } from '../helpers/engine-harness.js';
import { TestContainers, testDockerHost, testPort } from '../helpers/engine.js';
import { secondEngine } from '../helpers/second-engine.js';

const pausePolicy = 'id = "p"\nname = "pause"\nrules = ["trust"]\n[action]\nPause = []\n';
const token = 'trust-faults-token';
const auth = { authorization: `Bearer ${token}` };

async function tokenFile(dir: string): Promise<string> {
  const file = path.join(dir, 'token');
  await writeFile(file, `${token}\n`);
  await chmod(file, 0o600);
  return file;
}

async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an engine hung past the action deadline (SIGSTOP)', () => {
  const hung = secondEngine('hang', '10.213.253.1/24');
  let harness: Harness | undefined;
  let containers: TestContainers | undefined;
  let dockerdPid: number | undefined;

  beforeAll(() => hung.up(), 180_000);
  afterAll(async () => {
    if (dockerdPid) process.kill(dockerdPid, 'SIGCONT');
    await harness?.close();
    await containers?.cleanup();
    await hung.remove();
  }, 180_000);

  it('the timed-out pause is journaled unsettled, reconciled when the engine answers, and restorable', async () => {
    const port = hung.port();
    containers = new TestContainers(port);
    const victim = await containers.run('hang', { HostConfig: { NetworkMode: 'none' } });
    harness = await startHarness(
      { 'p.toml': pausePolicy },
      {
        ports: [port],
        armed: true,
        executor: {
          actionTimeoutMs: 1000,
          retryMaxAttempts: 1,
          retryBackoffBaseMs: 10,
          maxConcurrentActions: 4,
        },
      },
    );
    await harness.until((s) => s.containers.some((c) => c.id === victim.id), 'victim in inventory');
    dockerdPid = Number((await readFile(path.join(hung.dir, 'dockerd.pid'), 'utf8')).trim());
    process.kill(dockerdPid, 'SIGSTOP');
    harness.engine.handleAlert(alertFor(victim.name, 'trust'));
    const failed = await harness.until(
      (s) => s.actions.some((a) => a.container.id === victim.id && a.result === 'failed'),
      'the timed-out action',
    );
    const timedOut = failed.actions.find((a) => a.container.id === victim.id)!;
    expect(timedOut).toMatchObject({ unsettled: true, error: expect.stringMatching(/timed out/) });
    expect(harness.journal.state.openIntents.get(timedOut.intent!)).toMatchObject({
      container: { id: victim.id },
      action: 'pause',
    });

    process.kill(dockerdPid, 'SIGCONT');
    dockerdPid = undefined;
    // Once the engine answers, the intent is settled by what Docker actually did.
    const settled = await harness.until(
      (s) => s.actions.some((a) => a.intent === timedOut.intent && a.reconciled === 'late'),
      'the late reconciliation',
      60_000,
    );
    const late = settled.actions.find((a) => a.intent === timedOut.intent && a.reconciled === 'late')!;
    const state = (await port.inspectContainer(victim.id)).State.Status;
    expect(late.result).toBe(state === 'paused' ? 'ok' : 'failed');
    expect(harness.journal.state.openIntents.has(timedOut.intent!)).toBe(false);
    if (state === 'paused') {
      const restored = await harness.engine.send({ type: 'restore', container: victim.id });
      expect(restored).toMatchObject({ ok: true });
      expect((await port.inspectContainer(victim.id)).State.Status).toBe('running');
    }
    const records = await harness.records();
    expect(records.filter((r) => r.type === 'intent').map((r) => r.id)).toContain(timedOut.intent);
  }, 180_000);
});

describe('the journal on a full disk', () => {
  const port = testPort();
  const containers = new TestContainers(port);
  let dir: string | undefined;
  let brig: BrigProcess | undefined;

  beforeAll(() => port.ping());
  afterAll(async () => {
    if (brig && brig.child.exitCode === null) brig.child.kill('SIGKILL');
    await containers.cleanup();
    if (dir) {
      execFileSync('umount', [dir]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails closed: nothing is attempted, Brig disarms itself and says so, and journals it once it can', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'brig-fulldisk-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k,mode=0700', 'tmpfs', dir]);
    const victim = await containers.run('fulldisk', { HostConfig: { NetworkMode: 'none' } });
    brig = await spawnBrig({ 'p.toml': pausePolicy }, ['--arm', '--token-file', await tokenFile(dir)], {
      dir,
      dockerHost: testDockerHost(),
    });
    await brig.waitFor((r) => r.type === 'engine' && r.event === 'start', 'engine start');
    // Fill the disk: whatever the journal writes next fails with ENOSPC.
    const filler = path.join(dir, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      /* dd ends with ENOSPC */
    }
    const answer = await brig.post(
      '/v1/alerts',
      // Larger than a page: the journal's write needs a page the full tmpfs does not have.
      JSON.stringify({
        id: `full-${process.pid}`,
        rule: 'trust',
        severity: 'High',
        container: victim.name,
        message: 'x'.repeat(12 * 1024),
      }),
      auth,
    );
    // Either the intake refuses it (its record cannot be made durable), or the action is not attempted.
    expect([202, 503], `${answer.status} ${answer.body} ${brig.stderr()}`).toContain(answer.status);
    await until(async () => {
      const res = await fetch(`http://127.0.0.1:${brig!.port}/healthz`);
      return res.status === 503 ? res : undefined;
    }, '/healthz 503');
    const health = (await (await fetch(`http://127.0.0.1:${brig.port}/healthz`)).json()) as {
      journal: { ok: boolean; error: string };
    };
    expect(health.journal).toEqual({ ok: false, error: expect.stringMatching(/ENOSPC/) });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await port.inspectContainer(victim.id)).State.Status).toBe('running');
    expect(brig.stderr()).toMatch(/journal unwritable .*ENOSPC.*disarmed itself/);
    // Arming is refused while the journal cannot be written.
    expect((await brig.post('/v1/arm', '', auth)).status).toBe(503);

    await rm(filler);
    await until(async () => {
      const res = await fetch(`http://127.0.0.1:${brig!.port}/healthz`);
      return res.status === 200 ? res : undefined;
    }, '/healthz 200 after space is freed');
    const { records, skipped } = await readJournal(brig.journalFile);
    // Never a torn line; what happened while the disk was full is there now.
    expect(skipped).toEqual([]);
    expect(
      records.some((r) => r.type === 'engine' && (r as { event: string }).event === 'journal-recovered'),
    ).toBe(true);
    expect(
      records.some(
        (r) => r.type === 'engine' && (r as { event: string; reason?: string }).event === 'disarmed',
      ),
    ).toBe(true);
    expect(records.filter((r) => r.type === 'action' && (r as { result: string }).result === 'ok')).toEqual(
      [],
    );
    // Still disarmed: the operator arms again on purpose.
    expect((await brig.post('/v1/arm', '', auth)).status).toBe(200);
  }, 120_000);
});

describe('a second Brig on the same journal', () => {
  let first: BrigProcess | undefined;
  afterAll(() => {
    if (first && first.child.exitCode === null) first.child.kill('SIGKILL');
  });

  it('exits 1 at start, naming the pid of the Brig that holds it', async () => {
    first = await spawnBrig({ 'p.toml': pausePolicy }, [], { dockerHost: testDockerHost() });
    const second = spawn(
      process.execPath,
      [
        cliPath,
        '--headless',
        '--docker-host',
        testDockerHost(),
        '--journal',
        first.journalFile,
        '--policies',
        first.policiesDir,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, XDG_CONFIG_HOME: first.dir, XDG_STATE_HOME: first.dir },
      },
    );
    let stderr = '';
    second.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`in use by another Brig (pid ${first.child.pid})`);
    // The first one is untouched and still journaling.
    expect(first.child.exitCode).toBe(null);
    await mkdir(first.dir, { recursive: true });
  }, 60_000);
});
