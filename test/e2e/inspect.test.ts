import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers, testDockerHost } from '../helpers/engine.js';
import { TmuxSession } from './tmux.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const prompt = 'brig-e2e$ ';

describe('Inspect and the container timeline in tmux, with the real binary', () => {
  const containers = new TestContainers();
  let victim: { id: string; name: string };
  let dir: string;
  let tmux: TmuxSession;

  beforeAll(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
    victim = await containers.run('inspect', { Env: ['BRIG_E2E_INSPECT=yes'] });
    dir = await mkdtemp(path.join(tmpdir(), 'brig-e2e-inspect-'));
    await mkdir(path.join(dir, 'policies'));
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

  it('I shows the inspect JSON with State open; Enter opens a folded node; the timeline has the events', async () => {
    await tmux.waitFor((s) => s.includes(prompt.trimEnd()), 'the shell prompt');
    tmux.type(
      `env -u CI ${process.execPath} ${cli} --docker-host ${testDockerHost()} ` +
        `--policies ${path.join(dir, 'policies')} --journal ${path.join(dir, 'journal.jsonl')}`,
    );
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('DISARMED') && s.includes('1 Containers'), 'the panes');
    tmux.keys('/');
    tmux.type(victim.name);
    tmux.keys('Enter');
    await tmux.waitFor(
      (s) => s.includes(` /${victim.name} 1/1`) && /›brigtest-\S+ .* running/.test(s),
      'the container, filtered and selected',
    );

    tmux.keys('I');
    let screen = await tmux.waitFor((s) => s.includes('"State": {'), 'the inspect JSON');
    expect(screen).toContain(`Inspect: ${victim.name}`);
    expect(screen).toContain('"Running": true,');
    expect(screen).toMatch(/"Config": \{…\} \d+ keys,/);
    expect(screen).not.toContain('BRIG_E2E_INSPECT=yes');
    // Up from the last line to the folded Config (the engine's member order decides how far), then
    // Enter opens it.
    tmux.keys('G');
    await tmux.waitFor((s) => /›\}/.test(s), 'the cursor on the last line');
    for (let i = 0; i < 60 && !/›\s*"Config": \{…\}/.test(tmux.screen()); i++) {
      const before = tmux.screen();
      tmux.keys('k');
      await tmux.waitFor((s) => s !== before, 'the cursor moving up');
    }
    expect(tmux.screen()).toMatch(/›\s*"Config": \{…\} \d+ keys/);
    tmux.keys('Enter');
    screen = await tmux.waitFor((s) => /›\s*"Config": \{\s/.test(s), 'Config unfolded');
    expect(screen).toMatch(/"Hostname": "[0-9a-f]{12}",/);
    // Find, in what is now open, the variable the container was created with.
    tmux.keys('/');
    tmux.type('brig_e2e');
    tmux.keys('Enter');
    screen = await tmux.waitFor((s) => /›\s*"BRIG_E2E_INSPECT=yes"/.test(s), 'the Env entry found');
    expect(screen).toContain('match 1/1 for /brig_e2e');
    for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('1 Containers') && !s.includes('Inspect:'), 'the panes again');

    // Events since Brig started land in the container's timeline.
    await containers.port.pause(victim.id);
    await containers.port.unpause(victim.id);
    tmux.keys('Enter');
    screen = await tmux.waitFor(
      (s) => /docker\s+unpause/.test(s) && /docker\s+pause/.test(s),
      'pause and unpause in the timeline',
    );
    expect(screen.indexOf('unpause')).toBeLessThan(screen.search(/docker\s+pause/));
    tmux.keys('Escape');

    tmux.keys('q');
    await tmux.waitFor((s) => s.trimEnd().endsWith(prompt.trimEnd()), 'the shell prompt after q');
  });
});
