import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TickClock } from '../../../source/detect/tick-clock.js';

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => void vi.useRealTimers());

describe('tick clock', () => {
  it('ticks on the interval, runs a hurried tick early, then keeps the interval', () => {
    const t0 = Date.now();
    const at: number[] = [];
    const clock = new TickClock(
      100,
      () => at.push(Date.now() - t0),
      600,
      () => Date.now(),
    );
    clock.start();
    vi.advanceTimersByTime(200);
    expect(at).toEqual([100, 200]);
    clock.hurry(25);
    vi.advanceTimersByTime(25);
    expect(at).toEqual([100, 200, 225]);
    vi.advanceTimersByTime(100);
    expect(at).toEqual([100, 200, 225, 325]);
    expect(clock.lateness()).toMatchObject({ ticks: 4, maxMs: 0 });
    clock.stop();
  });

  it('records how late a starved tick ran, and skips missed ticks instead of bunching them', () => {
    const t0 = Date.now();
    const at: number[] = [];
    let starve = true;
    const clock = new TickClock(
      100,
      () => {
        at.push(Date.now() - t0);
        // The process is starved for 350 ms during the first tick (a fork bomb on the host).
        if (starve) vi.setSystemTime(Date.now() + 350);
        starve = false;
      },
      600,
      () => Date.now(),
    );
    clock.start();
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(201);
    // Ticks due at 200 and 300 had both passed at 450: one runs at once (251 ms late), the other
    // is skipped, and the clock continues on the interval from there.
    expect(at).toEqual([100, 451, 551, 651]);
    expect(clock.lateness()).toMatchObject({ ticks: 4, maxMs: 251 });
    clock.stop();
  });
});
