import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  FakeEngine,
  actionRecord,
  alert,
  alertView,
  container,
  emptySnapshot,
  policy,
  queueItem,
} from '../helpers/fake-engine.js';
import { osc52 } from '../../source/ui/clipboard.js';
import { cellWidth } from '../../source/ui/format.js';
import { keys, renderTui } from './render-tui.js';

afterEach(() => cleanup());

const big = { columns: 120, rows: 40 };
const small = { columns: 70, rows: 20 };
const demo = ['web', 'api', 'db', 'victim'].map((n) =>
  container(`brig-demo-${n}`, { image: 'brig-test/busybox:latest' }),
);
const victim = demo[3]!;
const a1 = alert('a1', { container: { name: victim.name } });

/** The Alerts pane row of an alert (the only one in these tests). */
const alertLine = (frame: string) => frame.split('\n').find((l) => l.includes('fork_storm')) ?? '';

describe('1. the verdict column follows the alert', () => {
  it('queued → executed after the operator approves (engine outcomes), details say who and when', async () => {
    const e = new FakeEngine(
      emptySnapshot({
        containers: demo,
        alerts: [alertView(a1, victim, { outcomes: [{ state: 'queued' }] })],
        queue: [queueItem('q1', a1, victim)],
      }),
    );
    const t = await renderTui(e, big);
    expect(alertLine(t.frame())).toContain('queued');
    await t.press('n', 'y');
    expect(e.commands).toEqual([{ type: 'approve', id: 'q1' }]);
    e.update({
      queue: [],
      alerts: [
        alertView(a1, victim, {
          outcomes: [
            { state: 'executed', by: 'operator', at: '2026-11-22T14:02:31.000Z', actionId: 'act-1' },
          ],
        }),
      ],
    });
    await t.press();
    expect(alertLine(t.frame())).toContain('executed');
    expect(alertLine(t.frame())).not.toContain('queued');
    await t.press('2', keys.enter);
    expect(t.frame()).toMatch(/executed by the operator at \d\d:\d\d:\d\d \(action act-1\)/);
    expect(t.frame()).not.toContain('waits for the operator');
  });

  it.each([
    ['failed', { state: 'failed', by: 'operator', error: 'no such container' }, 'FAILED'],
    ['vetoed', { state: 'vetoed', by: 'operator' }, 'vetoed'],
    ['evicted', { state: 'evicted' }, 'evicted'],
    ['grace', { state: 'pending', by: 'grace' }, 'pending'],
  ] as const)('%s', async (_what, outcome, word) => {
    const e = new FakeEngine(
      emptySnapshot({ containers: demo, alerts: [alertView(a1, victim, { outcomes: [outcome] })] }),
    );
    const t = await renderTui(e, big);
    expect(alertLine(t.frame())).toContain(word);
  });

  it('without engine outcomes: the approved action record makes it executed; a skip here makes it skipped', async () => {
    const a2 = alert('a2', { container: { name: demo[0]!.name }, rule: 'fork_storm_2' });
    const e = new FakeEngine(
      emptySnapshot({
        containers: demo,
        alerts: [alertView(a1, victim), alertView(a2, demo[0]!)],
        queue: [queueItem('q1', a1, victim), queueItem('q2', a2, demo[0]!)],
      }),
    );
    const t = await renderTui(e, big);
    const line = (rule: string) =>
      t
        .frame()
        .split('\n')
        .find((l) => l.includes(rule + ' ')) ?? '';
    expect(line('fork_storm')).toContain('queued');
    await t.press('n', 'y');
    e.update({
      queue: [queueItem('q2', a2, demo[0]!)],
      actions: [actionRecord(victim, { alert: 'a1', origin: 'approved', latency_ms: 84, wait_ms: 31_427 })],
    });
    await t.press();
    await t.press('s');
    e.update({ queue: [] });
    await t.press(keys.escape);
    expect(line('fork_storm')).toContain('executed');
    expect(line('fork_storm_2')).toContain('skipped');
  });
});

describe('3. engine latency and the wait for the operator, apart', () => {
  it('Actions pane and details show both', async () => {
    const e = new FakeEngine(
      emptySnapshot({
        containers: demo,
        actions: [actionRecord(victim, { origin: 'approved', latency_ms: 84, wait_ms: 31_427 })],
      }),
    );
    const t = await renderTui(e, big);
    const row = t
      .frame()
      .split('\n')
      .find((l) => l.includes('pause') && l.includes('ok'));
    expect(row).toContain('84ms');
    expect(row).toContain('31.4s');
    expect(t.frame()).toContain('WAIT');
    await t.press('4', keys.enter);
    expect(t.frame()).toContain('engine latency 84ms (from the approval)');
    expect(t.frame()).toContain('waited for the operator 31.4s');
  });
});

describe('5. truncation keeps what matters', () => {
  it('at 120×40 the Containers pane has IMAGE, and demo names keep their distinguishing part', async () => {
    const e = new FakeEngine(
      emptySnapshot({
        containers: demo,
        alerts: [alertView(a1, victim)],
        actions: [actionRecord(victim)],
        policies: [policy('fork-storm-pause-the-victim-container')],
      }),
    );
    const t = await renderTui(e, big);
    const frame = t.frame();
    expect(frame).toMatch(/NAME +IMAGE +STATE/);
    for (const n of ['web', 'api', 'db', 'victim'])
      expect(frame).toMatch(new RegExp(`(brig-demo-|…)${n}\\b`));
    expect(frame).not.toContain('brig-demo…');
    // Too long for its column: cut in the middle, both ends stay.
    expect(frame).toMatch(/fork-s[a-z-]*…[a-z-]*container/);
  });

  it('wide characters (CJK, emoji) in a rule do not shift the columns', async () => {
    const wide = alert('w1', { rule: '不審なシェル🐚起動', container: { name: victim.name } });
    const e = new FakeEngine(emptySnapshot({ containers: demo, alerts: [alertView(wide, victim)] }));
    const t = await renderTui(e, big);
    await t.press('2', 'z');
    const lines = t.frame().split('\n');
    const header = lines.find((l) => l.includes('VERDICT'))!;
    const row = lines.find((l) => l.includes('不審'))!;
    expect(cellWidth(row)).toBe(120);
    // The verdict starts in the same cell as its title.
    const col = (line: string, text: string) => cellWidth(line.slice(0, line.indexOf(text)));
    expect(col(row, 'queued')).toBe(col(header, 'VERDICT'));
  });

  it('long detail lines wrap instead of being cut', async () => {
    const long = alert('l1', {
      container: { name: victim.name },
      message:
        'a message long enough to need more than one line at seventy columns: ' + 'x '.repeat(30) + 'END',
    });
    const e = new FakeEngine(emptySnapshot({ containers: demo, alerts: [alertView(long, victim)] }));
    const t = await renderTui(e, small);
    await t.press('2', keys.enter);
    expect(t.frame()).toContain('END');
  });
});

describe('6. frames and words', () => {
  it('every overlay top border is whole', async () => {
    const e = new FakeEngine(emptySnapshot({ containers: demo, alerts: [alertView(a1, victim)] }));
    for (const size of [big, small]) {
      const t = await renderTui(e, size);
      for (const open of [['?'], [keys.enter], ['p']]) {
        await t.press(...open);
        const top = t
          .frame()
          .split('\n')
          .find((l) => l.startsWith('┏'))!;
        expect(top).toMatch(/^┏━ .+ ━+┓$/);
        expect(cellWidth(top)).toBe(size.columns);
        await t.press(keys.escape);
      }
      cleanup();
    }
  });

  it('the too-small message keeps its whole answer at 40×12', async () => {
    const t = await renderTui(new FakeEngine(), { columns: 40, rows: 12 });
    expect(t.frame().replace(/\s+/g, ' ')).toContain('Brig needs 60×15 (q quits)');
  });

  it('a paused container reads 0% CPU, a constant pids series is not a full bar, MED, queue', async () => {
    const paused = container('brig-demo-victim', {
      state: 'paused',
      stats: { cpuPercent: 97, memoryBytes: 1 << 20, pids: 2, cpuHistory: [97, 97], pidsHistory: [2, 2, 2] },
    });
    const medium = alert('m1', { severity: 'Medium', container: { name: paused.name } });
    const e = new FakeEngine(
      emptySnapshot({ containers: [paused], alerts: [alertView(medium, paused)], queue: [] }),
    );
    const t = await renderTui(e, small);
    expect(t.frame()).not.toContain('97%');
    expect(t.frame()).toMatch(/ 0% /);
    expect(t.frame()).toContain('queue 0');
    expect(t.frame()).not.toMatch(/ q 0/);
    await t.press(keys.enter);
    expect(t.frame()).toMatch(/PIDS +2 +▄▄▄/);
    await t.press(keys.escape, '2');
    expect(t.frame()).toContain('MED ');
    expect(t.frame()).not.toContain('MEDI');
  });

  it('status words: no "ok: not done", no "ok: …: ok"; an unbound key says so', async () => {
    const e = new FakeEngine(emptySnapshot({ containers: demo }));
    e.reply = (c) => ({ ok: true, message: `${c.type} brig-demo-api: ok` });
    const t = await renderTui(e, big);
    await t.press('s', keys.enter);
    expect(t.frame()).toContain(' not done: Stop brig-demo-api?');
    expect(t.frame()).not.toContain('ok: not done');
    await t.press('p', 'y');
    expect(t.frame()).toContain('✓ manual brig-demo-api: ok');
    expect(t.frame()).not.toContain('ok: manual');
    await t.press('w');
    expect(t.frame()).toContain('w does nothing here: ? lists the keys');
  });
});

describe('9. sort and copy', () => {
  it('o cycles the Containers order and the title shows it', async () => {
    const cs = [
      container('a-low', {
        stats: { cpuPercent: 1, memoryBytes: 9e9, pids: 1, cpuHistory: [], pidsHistory: [] },
      }),
      container('b-high', {
        stats: { cpuPercent: 90, memoryBytes: 1, pids: 50, cpuHistory: [], pidsHistory: [] },
      }),
    ];
    const t = await renderTui(new FakeEngine(emptySnapshot({ containers: cs })), big);
    expect(t.frame()).toContain('Containers by name');
    expect(t.frame()).toContain('›a-low');
    await t.press('o');
    expect(t.frame()).toContain('Containers by cpu');
    expect(t.frame().indexOf('b-high')).toBeLessThan(t.frame().indexOf('a-low'));
    await t.press('o');
    expect(t.frame()).toContain('Containers by memory');
    expect(t.frame().indexOf('a-low')).toBeLessThan(t.frame().indexOf('b-high'));
  });

  it('Y copies the selected container id with OSC 52', async () => {
    const t = await renderTui(new FakeEngine(emptySnapshot({ containers: demo })), big);
    await t.press('Y');
    expect(t.frames.join('')).toContain(osc52(demo[1]!.id));
    expect(t.frame()).toContain('copied container id');
  });
});
