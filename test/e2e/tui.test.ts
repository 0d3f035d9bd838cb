import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { BrigInTmux, pausePolicy } from './brig-tmux.js';
import type { TmuxSession } from './tmux.js';

/** The row of the containers pane that shows `name` (its end, "…tui-1", is unique under the filter). */
function rowOf(screen: string, name: string): string {
  const rows = screen.split('\n').filter((line) => /^[┃│]/.test(line));
  // A long name is cut in the middle: its end stays visible.
  return rows.find((line) => line.includes(name.slice(-8))) ?? '';
}

describe('the TUI in tmux against the private engine', () => {
  const containers = new TestContainers();
  let victim: { id: string; name: string };
  let brig: BrigInTmux;
  let tmux: TmuxSession;

  beforeAll(async () => {
    victim = await containers.run('tui', { HostConfig: { PidsLimit: 100 } });
    brig = await BrigInTmux.create('tui', {
      'pause.toml': pausePolicy('e2e-pause', 'e2e_pause', victim.name),
    });
    tmux = brig.tmux;
  });

  afterAll(async () => {
    await brig?.close();
    await containers.cleanup();
  });

  it('starts, arms through the confirm, pauses on an alert, helps, filters, restores, resizes and quits', async () => {
    let screen = await brig.start();
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

    const response = await brig.alert({
      rule: 'e2e_pause',
      severity: 'High',
      container: victim.name,
      message: 'e2e',
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

    await brig.quit();
    tmux.type('echo "brig exit=$?"');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('brig exit=0'), 'exit status 0');
  });
});
