import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { BrigInTmux, pausePolicy } from './brig-tmux.js';
import type { TmuxSession } from './tmux.js';

/** The line holding the selection marker in the focused pane. */
const selectedRow = (screen: string) => screen.split('\n').find((l) => /^┃›/.test(l)) ?? '';

describe('the TUI in an incident (tmux, private engine): key bursts, approve → verdict, latency vs wait', () => {
  const containers = new TestContainers();
  const names: string[] = [];
  let victim: { id: string; name: string };
  let brig: BrigInTmux;
  let tmux: TmuxSession;

  beforeAll(async () => {
    victim = await containers.run('burst', { HostConfig: { PidsLimit: 100 } });
    names.push(victim.name);
    for (let i = 0; i < 4; i += 1) names.push((await containers.run('burst')).name);
    names.sort();
    brig = await BrigInTmux.create('burst', {
      'pause.toml': pausePolicy('e2e-burst-pause', 'e2e_burst', victim.name),
    });
    tmux = brig.tmux;
  });

  afterAll(async () => {
    await brig?.close();
    await containers.cleanup();
  });

  it('Down Down Down moves three rows; an approved pause reads executed with its wait apart', async () => {
    await brig.start();
    // Only this run's containers: the filter is the run's name prefix.
    const prefix = names[0]!.replace(/-burst-\d+$/, '-burst');
    tmux.keys('/');
    tmux.type(prefix);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(` 1/${names.length} of `), 'the filtered containers');

    // One send-keys: tmux writes the three sequences in one go, as a held arrow over SSH does.
    tmux.keys('Down', 'Down', 'Down');
    let screen = await tmux.waitFor((s) => s.includes(` 4/${names.length} of `), 'row 4 of the pane');
    expect(selectedRow(screen)).toMatch(new RegExp(`[…-]${names[3]!.split('-').at(-1)} `));
    tmux.keys('Up', 'Up');
    screen = await tmux.waitFor((s) => s.includes(` 2/${names.length} of `), 'row 2 after Up Up');
    tmux.keys('End');
    await tmux.waitFor((s) => s.includes(` ${names.length}/${names.length} of `), 'the last row');
    tmux.keys('Home', 'Down');
    screen = await tmux.waitFor((s) => s.includes(` 2/${names.length} of `), 'row 2 after Home Down');
    expect(selectedRow(screen)).toMatch(new RegExp(`[…-]${names[1]!.split('-').at(-1)} `));

    // Disarmed: the pause waits for the operator.
    const response = await brig.alert({
      rule: 'e2e_burst',
      severity: 'High',
      container: victim.name,
      message: 'e2e',
    });
    expect(response.status).toBe(202);
    const alertRow = (s: string) => s.split('\n').find((l) => l.includes('e2e_burst')) ?? '';
    await tmux.waitFor((s) => alertRow(s).includes('queued'), 'the alert queued');
    await new Promise((r) => setTimeout(r, 1200));
    tmux.keys('n');
    await tmux.waitFor((s) => s.includes('waiting for approval'), 'the stepper');
    tmux.keys('y');
    screen = await tmux.waitFor((s) => alertRow(s).includes('executed'), 'the verdict executed');
    expect(alertRow(screen)).not.toContain('queued');
    expect((await containers.port.inspectContainer(victim.id)).State?.Paused).toBe(true);
    // Actions pane: engine latency in ms, the operator's wait (over a second) apart.
    const actionRow =
      screen
        .split('\n')
        .map((l) => l.slice(60))
        .find((l) => / pause +\S+ +ok /.test(l)) ?? '';
    expect(actionRow).toMatch(/\d+ms +\d+\.\d+s/);
    tmux.keep('alerts-approved-120x40', screen);

    // At 70×20 (one pane at a time) the Alerts pane says the same.
    tmux.resize(70, 20);
    tmux.keys('2');
    screen = await tmux.waitFor(
      (s) => s.includes('[2 Alerts]') && alertRow(s).includes('executed'),
      'the Alerts pane at 70×20',
    );
    expect(screen.split('\n').length).toBeLessThanOrEqual(21);
    tmux.keep('alerts-approved-70x20', screen);
    tmux.resize(120, 40);

    // Details: who decided and when.
    tmux.keys('2', 'Enter');
    screen = await tmux.waitFor((s) => s.includes('Details: Alerts'), 'the alert details');
    expect(screen).toMatch(/executed by the operator at \d\d:\d\d:\d\d/);
    tmux.keys('Escape');

    await brig.quit();
  });
});
