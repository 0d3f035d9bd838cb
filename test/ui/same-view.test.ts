import { describe, expect, it } from 'vitest';
import { viewChange } from '../../source/ui/same-view.js';
import { alert, alertView, container, emptySnapshot } from '../helpers/fake-engine.js';

const stats = (cpuPercent: number) => ({
  cpuPercent,
  memoryBytes: 1,
  pids: 1,
  cpuHistory: [1, cpuPercent],
  pidsHistory: [1],
});

describe('viewChange', () => {
  it('sees no change when the engine re-creates the same content', () => {
    const a = emptySnapshot({ containers: [container('a')], alerts: [alertView(alert('x'), null)] });
    const b = emptySnapshot({ containers: [container('a')], alerts: [alertView(alert('x'), null)] });
    expect(viewChange(a, b)).toBe('none');
  });

  it('tells a sampler tick (figures) from a change of state (content)', () => {
    const a = emptySnapshot({ containers: [container('a', { stats: stats(1) })] });
    expect(viewChange(a, emptySnapshot({ containers: [container('a', { stats: stats(2) })] }))).toBe(
      'figures',
    );
    expect(
      viewChange(a, emptySnapshot({ containers: [container('a', { stats: stats(1), state: 'paused' })] })),
    ).toBe('content');
    expect(
      viewChange(
        a,
        emptySnapshot({
          containers: [container('a', { stats: stats(2), isolation: { actions: [], labels: ['PAUSED'] } })],
        }),
      ),
    ).toBe('content');
    expect(viewChange(a, { ...a, armed: true })).toBe('content');
    expect(viewChange(a, { ...a, alerts: [alertView(alert('y'), null)] })).toBe('content');
    expect(viewChange(a, { ...a, containers: [] })).toBe('content');
  });
});

describe('viewChange on live figures', () => {
  const withStats = (cpuPercent: number, memoryBytes: number) =>
    emptySnapshot({
      containers: [
        container('a', { stats: { cpuPercent, memoryBytes, pids: 1, cpuHistory: [1], pidsHistory: [1] } }),
      ],
    });

  it('sees no change when the figures move only in digits the screen does not show', () => {
    // 12.3% and 12.4% both read "12%"; 320.1K and 320.4K both "320K".
    expect(viewChange(withStats(12.3, 327_782), withStats(12.4, 328_090))).toBe('none');
  });

  it('sees figures when a shown digit moves', () => {
    expect(viewChange(withStats(1.2, 327_782), withStats(1.3, 327_782))).toBe('figures');
    expect(viewChange(withStats(12.3, 327_782), withStats(12.3, 340_000))).toBe('figures');
  });

  it("a moved history is a change only while histories are on screen (a container's details)", () => {
    const a = emptySnapshot({ containers: [container('a', { stats: stats(1) })] });
    const moved = emptySnapshot({
      containers: [container('a', { stats: { ...stats(1), cpuHistory: [1, 1, 1], pidsHistory: [1, 1] } })],
    });
    expect(viewChange(a, moved)).toBe('figures');
    expect(viewChange(a, moved, { histories: true })).toBe('figures');
    expect(viewChange(a, moved, { histories: false })).toBe('none');
    // What the panes show still counts.
    const busier = emptySnapshot({ containers: [container('a', { stats: { ...stats(1), pids: 9 } })] });
    expect(viewChange(a, busier, { histories: false })).toBe('figures');
  });
});
