import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { testDockerHost } from '../helpers/engine.js';

const policy = {
  'p.toml': `
id = "p"
name = "pause on a rule"
severity_threshold = "High"
rules = ["r"]
[action]
Pause = []
`,
};

let brig: BrigProcess | undefined;
let holder: Server | undefined;
afterEach(async () => {
  if (brig && brig.child.exitCode === null && brig.child.signalCode === null) brig.child.kill('SIGKILL');
  brig = undefined;
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
  holder = undefined;
});

/** Waits for the process to end by itself (no signal is ever sent); undefined = still running. */
async function exitedAlone(proc: BrigProcess, graceMs = 20_000): Promise<number | null | undefined> {
  const done = new AbortController();
  const stillRunning = delay(graceMs, undefined, { signal: done.signal }).catch(() => undefined);
  const code = await Promise.race([proc.exited, stillRunning]);
  done.abort();
  return code;
}

async function journalEvents(file: string): Promise<string[]> {
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { type: string; event?: string })
    .filter((r) => r.type === 'engine')
    .map((r) => r.event ?? '');
}

describe('a fatal start error ends Brig (issue 11.8)', () => {
  it('--listen on a port in use: exits 1 on its own, says why, journals no start', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    brig = await spawnBrig(policy, ['--arm'], { dockerHost: testDockerHost(), port: taken, started: false });
    const code = await exitedAlone(brig);
    expect(code, `still running; stderr: ${brig.stderr()}`).toBe(1);
    expect(brig.stderr()).toMatch(new RegExp(`--listen 127\\.0\\.0\\.1:${taken}: .*(EADDRINUSE|in use)`));
    expect(brig.records.map((r) => r.event)).not.toContain('start');
    expect(await journalEvents(brig.journalFile)).not.toContain('start');
  });

  it('--replay of a missing file: exits 1 on its own, names the file, journals no start', async () => {
    brig = await spawnBrig(policy, ['--replay', 'no-such-replay.ndjson'], {
      dockerHost: testDockerHost(),
      started: false,
    });
    const code = await exitedAlone(brig);
    expect(code, `still running; stderr: ${brig.stderr()}`).toBe(1);
    expect(brig.stderr()).toMatch(/--replay .*no-such-replay\.ndjson: .*no such file/i);
    expect(brig.records.map((r) => r.event)).not.toContain('start');
    expect(await journalEvents(brig.journalFile)).not.toContain('start');
  });
});
