import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalescedStore } from '../../source/ui/coalesced-store.js';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';
import { listWindow } from '../../source/ui/list-window.js';
import { layoutColumns } from '../../source/ui/columns.js';
import { sparkline } from '../../source/ui/format.js';

describe('coalescedStore', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('passes a burst of engine updates on as at most one snapshot per interval, the latest', () => {
    const engine = new FakeEngine(emptySnapshot());
    const store = coalescedStore(engine, 100);
    const seen: number[] = [];
    store.subscribe(() => seen.push(store.getSnapshot().containers.length));
    for (let i = 1; i <= 50; i++)
      engine.update({ containers: Array.from({ length: i }, (_, j) => container(`c${j}`)) });
    // The first change after a quiet spell goes through at once; the rest wait for the interval.
    expect(seen).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(seen).toEqual([1, 50]);
    vi.advanceTimersByTime(1000);
    expect(seen).toEqual([1, 50]);
  });

  it('publishes at most 10 snapshots a second under a steady flood, and spaces them wider while it lasts', () => {
    const engine = new FakeEngine(emptySnapshot());
    const store = coalescedStore(engine, 100);
    let count = 0;
    store.subscribe(() => count++);
    for (let ms = 0; ms < 1000; ms++) {
      engine.update({ inFlight: ms });
      vi.advanceTimersByTime(1);
    }
    expect(count).toBeLessThanOrEqual(10);
    expect(count).toBeGreaterThanOrEqual(4);
  });

  it('does not pass on a snapshot with the same content in new objects', () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [container('a')] }));
    const store = coalescedStore(engine, 100);
    let count = 0;
    store.subscribe(() => count++);
    for (let i = 0; i < 20; i++) {
      engine.update({ containers: [container('a')] });
      vi.advanceTimersByTime(100);
    }
    expect(count).toBe(0);
    engine.update({ containers: [container('a', { state: 'paused' })] });
    vi.advanceTimersByTime(100);
    expect(count).toBe(1);
    expect(store.getSnapshot().containers[0]?.state).toBe('paused');
  });

  it('redraws live figures once a second, but a change of state at once', () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [container('a')] }));
    const store = coalescedStore(engine, 100, 1000);
    let count = 0;
    store.subscribe(() => count++);
    const withCpu = (cpuPercent: number, state: 'running' | 'paused' = 'running') =>
      container('a', {
        state,
        stats: { cpuPercent, memoryBytes: 1, pids: 1, cpuHistory: [], pidsHistory: [] },
      });
    engine.update({ containers: [withCpu(1)] });
    expect(count).toBe(1);
    for (let i = 2; i < 10; i++) {
      engine.update({ containers: [withCpu(i)] });
      vi.advanceTimersByTime(100);
    }
    expect(count).toBe(1);
    engine.update({ containers: [withCpu(50, 'paused')] });
    vi.advanceTimersByTime(100);
    expect(count).toBe(2);
    expect(store.getSnapshot().containers[0]?.state).toBe('paused');
    engine.update({ containers: [withCpu(60, 'paused')] });
    vi.advanceTimersByTime(1000);
    expect(count).toBe(3);
    expect(store.getSnapshot().containers[0]?.stats?.cpuPercent).toBe(60);
  });

  it('follows histories only while they are shown, and refresh() passes the latest on at once', () => {
    const withHistory = (n: number) =>
      container('a', {
        stats: { cpuPercent: 0, memoryBytes: 1, pids: 1, cpuHistory: Array(n).fill(0), pidsHistory: [1] },
      });
    const engine = new FakeEngine(emptySnapshot({ containers: [withHistory(1)] }));
    let shown = false;
    const store = coalescedStore(engine, 100, 2000, 250, () => shown);
    let count = 0;
    store.subscribe(() => count++);
    count = 0;
    for (let n = 2; n <= 10; n++) {
      engine.update({ containers: [withHistory(n)] });
      vi.advanceTimersByTime(2100);
    }
    expect(count).toBe(0);
    expect(store.getSnapshot().containers[0]!.stats!.cpuHistory).toHaveLength(1);
    shown = true;
    store.refresh();
    expect(count).toBe(1);
    expect(store.getSnapshot().containers[0]!.stats!.cpuHistory).toHaveLength(10);
    engine.update({ containers: [withHistory(11)] });
    vi.advanceTimersByTime(2100);
    expect(count).toBe(2);
  });

  it('unsubscribes from the engine when the last view leaves', () => {
    const engine = new FakeEngine(emptySnapshot());
    const store = coalescedStore(engine, 100);
    const off = store.subscribe(() => {});
    expect(engine.listenerCount).toBe(1);
    off();
    expect(engine.listenerCount).toBe(0);
  });
});

describe('windowing and columns', () => {
  it('keeps the selection visible and moves the window only when it leaves', () => {
    expect(listWindow(0, 0, 100, 10)).toEqual({ offset: 0, end: 10 });
    expect(listWindow(0, 12, 100, 10)).toEqual({ offset: 3, end: 13 });
    expect(listWindow(3, 5, 100, 10)).toEqual({ offset: 3, end: 13 });
    expect(listWindow(50, 99, 100, 10)).toEqual({ offset: 90, end: 100 });
    expect(listWindow(90, 4, 5, 10)).toEqual({ offset: 0, end: 5 });
  });

  it('fits columns into the width, dropping optional ones when narrow', () => {
    const specs = [
      { title: 'A', flex: 1, min: 5 },
      { title: 'B', width: 10, dropOrder: 1 },
      { title: 'C', width: 5 },
    ];
    const wide = layoutColumns(specs, 40);
    expect(wide.reduce((s, c) => s + c.width, 0) + wide.length - 1).toBe(40);
    const narrow = layoutColumns(specs, 15);
    expect(narrow.map((c) => c.title)).toEqual(['A', 'C']);
  });

  it('draws sparklines scaled to the maximum', () => {
    expect(sparkline([0, 50, 100], 3)).toBe('▁▅█');
    expect(sparkline([0, 0], 5)).toBe('▁▁');
  });
});
