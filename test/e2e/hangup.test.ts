import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDockerHost } from '../helpers/engine.js';
import { cli, freePort } from './brig-tmux.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('a terminal that goes away', () => {
  const socket = `brig-e2e-hup-${randomBytes(4).toString('hex')}`;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  let dir: string | undefined;

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone: the test killed it.
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('Brig quits when its terminal is gone even if the SIGHUP stays with the shell that ran it', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
    dir = await mkdtemp(path.join(tmpdir(), 'brig-e2e-hup-'));
    await mkdir(path.join(dir, 'policies'));
    const journal = path.join(dir, 'journal.jsonl');
    // A non-interactive shell that goes on after Brig: the hang-up reaches it, not Brig, which then
    // only sees its input fail. Stderr to a file, as a wrapper script would have it.
    const command =
      `env -u CI XDG_STATE_HOME=${dir} XDG_CONFIG_HOME=${dir} ${process.execPath} ${cli} ` +
      `--docker-host ${testDockerHost()} --listen 127.0.0.1:${await freePort()} ` +
      `--policies ${path.join(dir, 'policies')} --journal ${journal} 2>${path.join(dir, 'err')}; sleep 60`;
    tmux('new-session', '-d', '-s', 'hup', '-x', '120', '-y', '40', `bash -c '${command}'`);
    // The journal's lock names the running Brig's pid.
    const lock = `${journal}.lock`;
    let pid = 0;
    for (let waited = 0; waited < 30_000 && !pid; waited += 100) {
      if (existsSync(lock)) pid = Number(readFileSync(lock, 'utf8').trim().split(/\s/)[0]);
      if (!pid) await new Promise((r) => setTimeout(r, 100));
    }
    expect(pid).toBeGreaterThan(0);
    expect(alive(pid)).toBe(true);
    tmux('kill-server');
    for (let waited = 0; waited < 15_000 && alive(pid); waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    const survived = alive(pid);
    if (survived) process.kill(pid, 'SIGTERM');
    expect(survived).toBe(false);
  }, 60_000);
});
