import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { freePort } from './brig-tmux.js';
import { TmuxSession } from './tmux.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const prompt = 'brig-demo-e2e$ ';

describe('npm run demo (tmux, the private engine)', () => {
  const containers = new TestContainers();
  let tmux: TmuxSession | undefined;
  let home: string | undefined;

  afterAll(async () => {
    tmux?.kill();
    await containers.cleanup();
    if (home) await rm(home, { recursive: true, force: true });
  });

  it('shows its introduction inside the TUI; q leaves no demo container behind and writes nothing into the user state dir', async () => {
    if (!existsSync(path.join(repo, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: npm run build');
    home = await mkdtemp(path.join(tmpdir(), 'brig-demo-home-'));
    const engineEnv = Object.fromEntries(
      Object.entries(process.env).filter(([k, v]) => k.startsWith('BRIG_ENGINE_') && v !== undefined),
    ) as Record<string, string>;
    tmux = new TmuxSession(120, 40, {
      ...engineEnv,
      PS1: prompt,
      XDG_STATE_HOME: path.join(home, 'state'),
      BRIG_DEMO_STORM_AFTER: '0',
      BRIG_DEMO_LISTEN: `127.0.0.1:${await freePort()}`,
      TERM: 'xterm-256color',
    });
    await tmux.waitFor((s) => s.includes(prompt.trimEnd()), 'the shell prompt');
    tmux.type(
      `cd ${repo} && env -u CI bash scripts/demo.sh 2>${path.join(home, 'demo.err')}; echo "demo exit=$?"`,
    );
    tmux.keys('Enter');
    // The introduction is inside the TUI, over the panes, until a key is pressed.
    await tmux.waitFor(
      (s) => s.includes('Brig demo') && s.includes('brig-demo-victim') && s.includes('Any key closes this'),
      'the demo introduction inside the TUI',
      120_000,
    );
    tmux.keys('Space');
    await tmux.waitFor(
      (s) => /[…-]victim /.test(s) && s.includes('engines 1/1') && !s.includes('Any key closes this'),
      'the demo containers',
      120_000,
    );
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('demo exit=0'), 'the demo exits 0', 120_000);
    const left = [];
    for (const id of await containers.port.listContainerIds()) {
      const inspect = await containers.port.inspectContainer(id);
      if (inspect.Config?.Labels?.['brig.demo'] === 'true') left.push(inspect.Name);
    }
    expect(left).toEqual([]);
    expect(existsSync(path.join(home, 'state', 'brig'))).toBe(false);
    expect(await readdir(home)).toEqual(['demo.err']);
  }, 300_000);
});
