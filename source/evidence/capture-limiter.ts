/**
 * Bounds how many captures run at once across the engine (a host-level alert can contain many
 * containers together) and how many may wait. Over the wait limit a capture is refused at once,
 * with a reason, rather than queued without end.
 */
export class CaptureLimiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly maxRunning = 2,
    readonly maxWaiting = 16,
  ) {}

  /** Runs `task` when a place is free; undefined if too many are already waiting. */
  async run<T>(task: () => Promise<T>): Promise<T | undefined> {
    if (this.running >= this.maxRunning) {
      if (this.waiting.length >= this.maxWaiting) return undefined;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The place passes straight to the next in line.
      if (next) next();
      else this.running--;
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
