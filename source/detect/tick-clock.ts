import { performance } from 'node:perf_hooks';

/** How late the sampler's ticks ran (ms), over the last `window` ticks and ever. */
export interface TickLateness {
  ticks: number;
  lastMs: number;
  maxMs: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * A fixed-rate tick on setTimeout that records how late each tick ran: a fork bomb starving the
 * host shows up here first. Ticks are scheduled on the original grid; when one runs later than a
 * whole interval, the missed ones are skipped instead of bunched up.
 */
export class TickClock {
  private timer: NodeJS.Timeout | undefined;
  private next = 0;
  private readonly recent: number[] = [];
  private ticks = 0;
  private maxMs = 0;
  private lastMs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly onTick: () => void,
    private readonly window = 600,
    /** Monotonic ms; injectable for tests. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.next = this.now() + this.intervalMs;
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Run the next tick within `ms` (a quick confirmation read), then continue on the interval. */
  hurry(ms: number): void {
    if (!this.timer) return;
    const soon = this.now() + ms;
    if (soon >= this.next) return;
    this.next = soon;
    clearTimeout(this.timer);
    this.schedule();
  }

  lateness(): TickLateness {
    const sorted = [...this.recent].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : 0;
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      ticks: this.ticks,
      lastMs: round(this.lastMs),
      maxMs: round(this.maxMs),
      meanMs: round(mean),
      p50Ms: round(at(0.5)),
      p99Ms: round(at(0.99)),
    };
  }

  private schedule(): void {
    const delay = Math.max(0, this.next - this.now());
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref?.();
  }

  private fire(): void {
    const now = this.now();
    const late = Math.max(0, now - this.next);
    this.record(late);
    this.next += this.intervalMs;
    if (this.next <= now) this.next = now + this.intervalMs;
    try {
      this.onTick();
    } finally {
      if (this.timer) this.schedule();
    }
  }

  private record(late: number): void {
    this.ticks += 1;
    this.lastMs = late;
    if (late > this.maxMs) this.maxMs = late;
    this.recent.push(late);
    if (this.recent.length > this.window) this.recent.shift();
  }
}
