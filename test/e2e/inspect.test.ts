import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { BrigInTmux } from './brig-tmux.js';
import type { TmuxSession } from './tmux.js';

describe('Inspect and the container timeline in tmux, with the real binary', () => {
  const containers = new TestContainers();
  let victim: { id: string; name: string };
  let brig: BrigInTmux;
  let tmux: TmuxSession;

  beforeAll(async () => {
    victim = await containers.run('inspect', { Env: ['BRIG_E2E_INSPECT=yes'] });
    brig = await BrigInTmux.create('inspect');
    tmux = brig.tmux;
  });

  afterAll(async () => {
    await brig?.close();
    await containers.cleanup();
  });

  it('I shows the inspect JSON with State open; Enter opens a folded node; the timeline has the events', async () => {
    await brig.start();
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

    await brig.quit();
  });
});
