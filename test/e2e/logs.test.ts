import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestContainers } from '../helpers/engine.js';
import { BrigInTmux } from './brig-tmux.js';
import type { TmuxSession } from './tmux.js';

/** The log rows of the screen: the ones with a HH:MM:SS.mmm time. */
function logRows(screen: string): string[] {
  return screen.split('\n').filter((l) => /\d\d:\d\d:\d\d\.\d{3} /.test(l) && !l.includes('Logs:'));
}

// Numbered lines, about twenty a second: every fifth says "fizz", every seventh goes to stderr.
const printer = [
  'sh',
  '-c',
  'i=0; while true; do i=$((i+1)); if [ $((i % 7)) -eq 0 ]; then echo "line $i oops" >&2; ' +
    'elif [ $((i % 5)) -eq 0 ]; then echo "line $i fizz"; else echo "line $i"; fi; sleep 0.05; done',
];

describe('the logs view in tmux, the real binary against the private engine', () => {
  const containers = new TestContainers();
  let victim: { id: string; name: string };
  let brig: BrigInTmux;
  let tmux: TmuxSession;

  beforeAll(async () => {
    victim = await containers.run('logs', { Cmd: printer });
    brig = await BrigInTmux.create('logs');
    tmux = brig.tmux;
  });

  afterAll(async () => {
    await brig?.close();
    await containers.cleanup();
  });

  it('l follows the logs, / filters while they come, & shows only matches, n jumps, Esc closes; from an alert it marks its time', async () => {
    await brig.start();
    // The shared engine has other containers: filter the pane down to this test's one.
    tmux.keys('/');
    tmux.type(victim.name);
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes(' 1/1 of '), 'the victim, filtered');

    tmux.keys('l');
    let screen = await tmux.waitFor(
      (s) => s.includes('· following') && logRows(s).length >= 10,
      'the logs view with lines',
    );
    expect(screen).toContain(`Logs: ${victim.name}`);
    expect(logRows(screen).some((r) => / err line \d+ oops/.test(r))).toBe(true);

    // The line count keeps growing: it follows.
    const count = (s: string) => Number(/· (\d+) lines/.exec(s)?.[1] ?? 0);
    const before = count(screen);
    // Enough of them that the filtered screen is full (and the captures show it).
    await tmux.waitFor((s) => count(s) > Math.max(before + 5, 200), 'more lines arriving', 40_000);

    tmux.keys('/');
    tmux.type('fizz');
    await tmux.waitFor((s) => /\/fizz▏ \d+ matching/.test(s), 'the live match count while typing');
    tmux.keys('Enter');
    // Applied: the prompt is gone (while typing, the status line counts the draft's matches too).
    await tmux.waitFor((s) => /\d+ matching fizz/.test(s) && !s.includes('/fizz▏'), 'the search applied');
    tmux.keep('logs-search-120x40', tmux.screen());
    // With the escapes: the matches are drawn inverse (not by colour alone).
    const ansi = tmux.tmux('capture-pane', '-p', '-e', '-t', tmux.name);
    tmux.keep('logs-search-120x40.ansi', ansi);
    tmux.keys('&');
    screen = await tmux.waitFor(
      (s) => s.includes('only matching shown') && logRows(s).length >= 3,
      'only the matching lines',
    );
    const rows = logRows(screen);
    expect(rows.every((r) => /line \d+ fizz/.test(r))).toBe(true);
    // The numbers are multiples of five (and not of seven: those went to stderr).
    for (const r of rows) expect(Number(/line (\d+) fizz/.exec(r)![1]) % 5).toBe(0);
    tmux.keep('logs-120x40', tmux.screen());

    // Still following with the filter on: new matching lines arrive.
    const last = Number(/line (\d+) fizz/.exec(rows.at(-1)!)![1]);
    await tmux.waitFor(
      (s) => logRows(s).some((r) => Number(/line (\d+) fizz/.exec(r)?.[1] ?? 0) > last),
      'a newer match while filtered',
    );

    tmux.keys('N');
    screen = await tmux.waitFor(
      (s) => s.includes('‖ paused (f/G resumes)') && /› /.test(s),
      'N on the newest match',
    );
    expect(logRows(screen).find((r) => r.includes('›'))).toMatch(/line \d+ fizz/);

    tmux.resize(70, 20);
    screen = await tmux.waitFor(
      (s) => s.split('\n')[0]!.length <= 70 && s.includes('only matching') && logRows(s).length >= 3,
      'the logs view at 70×20',
    );
    expect(logRows(screen).every((r) => /line \d+ fizz/.test(r))).toBe(true);
    tmux.keep('logs-70x20', tmux.screen());
    tmux.resize(120, 40);

    tmux.keys('Escape');
    await tmux.waitFor((s) => s.includes('1 Containers') && !s.includes('Logs:'), 'the panes again');

    // From an alert: the view opens at the alert's time with the lines within ±5 s marked.
    const response = await brig.alert({
      rule: 'e2e_logs',
      severity: 'High',
      container: victim.name,
      message: 'e2e',
    });
    expect(response.status).toBe(202);
    tmux.keys('2');
    await tmux.waitFor((s) => s.includes('e2e_logs'), 'the alert');
    tmux.keys('l');
    screen = await tmux.waitFor(
      // Paused at the alert's time: the frame after the lines came (the view moves there on it).
      (s) => s.includes('alert at') && s.includes('‖ paused') && logRows(s).some((r) => r.includes('▌')),
      'the lines around the alert marked, the view paused there',
    );
    expect(screen).toContain('‖ paused (f/G resumes)');
    tmux.keep('logs-alert-120x40', screen);

    // A restart ends the engine's stream; the view follows the new run on its own.
    tmux.keys('G');
    await tmux.waitFor((s) => s.includes('● following'), 'following again');
    await containers.port.restart(victim.id, 1);
    screen = await tmux.waitFor(
      (s) =>
        s.includes('followed again after a restart') &&
        /\d\d\.\d{3} {5}line [1-9] *$/m.test(s.replace(/┃/g, '')),
      'the new run followed (its numbers start again at 1)',
      40_000,
    );
    tmux.keys('q');
    await tmux.waitFor((s) => s.includes('2 Alerts') && !s.includes('Logs:'), 'the panes after q');

    await brig.quit();
    tmux.type('echo "brig exit=$?"');
    tmux.keys('Enter');
    await tmux.waitFor((s) => s.includes('brig exit=0'), 'exit status 0');
  });
});
