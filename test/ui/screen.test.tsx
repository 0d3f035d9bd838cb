import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  FakeEngine,
  alert,
  alertView,
  container,
  emptySnapshot,
  policy,
  queueItem,
} from '../helpers/fake-engine.js';
import { keys, renderTui, tick } from './render-tui.js';

afterEach(() => cleanup());

function busyEngine() {
  const containers = Array.from({ length: 60 }, (_, i) =>
    container(
      `svc-${String(i).padStart(2, '0')}-with-a-rather-long-name`,
      i % 7 === 0 ? { state: 'paused' } : {},
    ),
  );
  const alerts = Array.from({ length: 80 }, (_, i) =>
    alertView(
      alert(`a${i}`, { rule: `rule_${i}`, time: new Date(Date.UTC(2026, 10, 22, 14, 0, i)).toISOString() }),
      containers[i % 60]!,
    ),
  );
  return new FakeEngine(
    emptySnapshot({
      containers,
      alerts,
      policies: Array.from({ length: 30 }, (_, i) => policy(`p-${i}`, { priority: i })),
      queue: [queueItem('q1', alert('a1'), containers[0]!)],
    }),
  );
}

const lines = (frame: string) => frame.split('\n').length;

describe('screen discipline', () => {
  it('the frame is never taller than the terminal, at any size, in any view', async () => {
    const e = busyEngine();
    const sizes: Array<[number, number]> = [
      [200, 60],
      [120, 40],
      [100, 24],
      [99, 24],
      [100, 23],
      [80, 24],
      [70, 20],
      [60, 15],
      [59, 15],
      [60, 14],
      [40, 10],
    ];
    const t = await renderTui(e, { columns: 120, rows: 40 });
    for (const [columns, rows] of sizes) {
      await t.resize(columns, rows);
      for (const view of ['', '?', keys.enter, 'n', 'z', 'a']) {
        if (view) await t.press(view);
        const frame = t.frame();
        expect(lines(frame), `${columns}×${rows} after ${JSON.stringify(view)}`).toBeLessThanOrEqual(rows);
        for (const line of frame.split('\n'))
          expect([...line].length, `${columns}×${rows} line width`).toBeLessThanOrEqual(columns);
        await t.press(keys.escape);
        if (view === 'z') await t.press('z');
      }
    }
    expect(e.commands).toEqual([]);
  }, 60_000);

  it('uses the whole height at full size: header, two rows of panes, footer', async () => {
    const t = await renderTui(busyEngine(), { columns: 120, rows: 40 });
    const frame = t.frame();
    expect(lines(frame)).toBe(40);
    for (const title of ['1 Containers', '2 Alerts', '3 Policies', '4 Actions'])
      expect(frame).toContain(title);
    expect(frame).toContain('PAUSED');
  });

  it('below 100×24 shows one pane with a tab bar, and follows a resize', async () => {
    const t = await renderTui(busyEngine(), { columns: 120, rows: 40 });
    await t.resize(99, 30);
    let frame = t.frame();
    expect(frame).toContain('[1 Containers]');
    expect(frame).not.toContain('┌─ 2 Alerts');
    await t.press('2');
    frame = t.frame();
    expect(frame).toContain('[2 Alerts]');
    expect(frame).toContain('▶2 Alerts');
    expect(lines(frame)).toBe(30);
    await t.resize(120, 40);
    expect(t.frame()).toContain('3 Policies');
    expect(t.frame()).not.toContain('[2 Alerts]');
  });

  it('below 60×15 says the terminal is too small, and q still quits', async () => {
    const e = busyEngine();
    const t = await renderTui(e, { columns: 59, rows: 20 });
    expect(t.frame()).toContain('terminal too small: 59×20');
    await t.resize(80, 14);
    expect(t.frame()).toContain('terminal too small: 80×14');
    expect(lines(t.frame())).toBeLessThanOrEqual(14);
    await t.press('a', 'p');
    expect(e.commands).toEqual([]);
    await t.press('q');
    expect(e.listenerCount).toBe(0);
  });

  it('states are words, not colours: PAUSED, STALE, FAILED, OFF, ARMED', async () => {
    const stale = container('old-1', { stale: true });
    const e = new FakeEngine(
      emptySnapshot({
        armed: true,
        containers: [stale, container('p-1', { state: 'paused' })],
        policies: [policy('off-1', { enabled: false })],
      }),
    );
    const t = await renderTui(e, { columns: 120, rows: 30, noColor: true });
    const frame = t.frame();
    expect(frame).toContain('STALE');
    expect(frame).toContain('PAUSED');
    expect(frame).toContain('OFF');
    expect(frame).toContain('● ARMED');
    expect(frame).not.toContain('\u001b[3');
  });

  it('snapshots from the engine show up without a keypress', async () => {
    const e = new FakeEngine(emptySnapshot());
    const t = await renderTui(e, { columns: 120, rows: 30 });
    expect(t.frame()).toContain('no containers');
    e.update({ containers: [container('late-1')] });
    await tick();
    expect(t.frame()).toContain('late-1');
  });
});
