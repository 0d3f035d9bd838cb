import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers, testDockerHost } from '../helpers/engine.js';
import { TmuxSession } from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const prompt = 'brig-e2e$ ';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** The row of the containers pane that shows `name` (its end, "…tui-1", is unique under the filter). */
function rowOf(screen: string, name: string): string {
  const rows = screen.split('\n').filter((line) => /^[┃│]/.test(line));
  // A long name is cut in the middle: its end stays visible.
  return rows.find((line) => line.includes(name.slice(-8))) ?? '';
}

describe('the TUI in tmux against the private engine', () => {
  const containers = new TestContainers();
  let victim: { id: string; name: string };
  let dir: string;
  let tmux: TmuxSession;
  let port: number;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
    victim = await containers.run('tui', { HostConfig: { PidsLimit: 100 } });
    dir = await mkdtemp(path.join(tmpdir(), 'brig-e2e-'));
    await mkdir(path.join(dir, 'policies'));
    // Scoped to this test's container, so an armed Brig never touches anyone else's.
    await writeFile(
      path.join(dir, 'policies', 'pause.toml'),
      [
        'id = "e2e-pause"',
        'name = "e2e: pause"',
        'severity_threshold = "High"',
        'rules = ["e2e_pause"]',
        '[target_filter]',
        `container_names = ["${victim.name}"]`,
        '[action]',
        'Pause = []',
        '',
      ].join('\n'),
    );
    port = await freePort();
    tmux = new TmuxSession(120, 40, {
      PS1: prompt,
      XDG_CONFIG_HOME: dir,
      XDG_STATE_HOME: dir,
      TERM: 'xterm-256color',
    });
  });

  afterAll(async () => {
    tmux?.kill();
    await containers.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts, arms through the confirm, pauses on an alert, helps, filters, restores, resizes and quits', async () => {
    await tmux.waitFor((s) => s.includes(prompt.trimEnd()), 'the shell prompt');
    // Ink renders nothing interactive when CI is set: the binary runs with CI unset.
    tmux.type(
      `env -u CI ${process.execPath} ${cli} --docker-host ${testDockerHost()} --listen 127.0.0.1:${port} ` +
        `--policies ${path.join(dir, 'policies')} --journal ${path.join(dir, 'journal.jsonl')}`,
    );
    tmux.keys('Enter');
    let screen = await tmux.waitFor((s) => s.includes('DISARMED') && s.includes('1 Containers'), 'the panes');
    expect(screen.split('\n')[0]).toMatch(/^ brig/);
    // The shared engine has other containers: filter the pane down to this test's one.
    tmux.keys('/');
    tmux.type(victim.name);
    tmux.keys('Enter');
    screen = await tmux.waitFor(
      (s) => rowOf(s, victim.name).includes('running') && s.includes(' 1/1 of '),
      'the victim, filtered',
    );

    tmux.keys('a');
    await tmux.waitFor((s) => s.includes('Arm auto-isolate?'), 'the arm confirm');
    tmux.keys('y');
    await tmux.waitFor((s) => s.includes('● ARMED'), 'ARMED');

    const response = await fetch(`http://127.0.0.1:${port}/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rule: 'e2e_pause', severity: 'High', container: victim.name, message: 'e2e' }),
    });
    expect(response.status).toBe(202);
    screen = await tmux.waitFor((s) => rowOf(s, victim.name).includes('PAUSED'), 'PAUSED on the victim row');
    expect((await containers.port.inspectContainer(victim.id)).State?.Paused).toBe(true);

    tmux.keys('?');
    await tmux.waitFor(
      (s) => s.includes('Help') && s.includes('help, generated from this keymap'),
      'the help',
    );
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('1 Containers'), 'the panes again');
    expect(rowOf(tmux.screen(), victim.name)).toContain('PAUSED');

    tmux.keys('u');
    screen = await tmux.waitFor(
      (s) => s.includes('Restore') && s.includes('unpause'),
      'what restore will undo',
    );
    tmux.keys('y');
    await tmux.waitFor(
      (s) => !rowOf(s, victim.name).includes('PAUSED') && rowOf(s, victim.name).includes('running'),
      'the victim running again',
    );
    expect((await containers.port.inspectContainer(victim.id)).State?.Paused).toBe(false);

    tmux.resize(70, 20);
    screen = await tmux.waitFor((s) => s.includes('[1 Containers]'), 'the compact layout at 70×20');
    const lines = screen.split('\n');
    expect(lines[0]).toMatch(/^ brig/);
    expect(lines.length).toBeLessThanOrEqual(21);

    tmux.keys('q');
    await tmux.waitFor((s) => s.trimEnd().endsWith(prompt.trimEnd()), 'the shell prompt after q');
    tmux.type('echo "brig exit=$?"');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('brig exit=0'), 'exit status 0');
  });
});
