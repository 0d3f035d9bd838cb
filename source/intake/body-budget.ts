/**
 * Bytes of request bodies the HTTP intake holds at once, all requests together (issue 15: intake
 * RSS under overload). A body reserves its declared length (or the body cap, when chunked) before a
 * byte of it is read; past the budget, the next body waits, unread, so the kernel's socket buffers
 * push back on the sender. A reservation never grows, so holders never wait on each other.
 */
export class BodyBudget {
  private free: number;
  private readonly waiters: { bytes: number; wake: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError(`body budget must be positive, got ${capacity}`);
    this.free = capacity;
  }

  /** Resolves with a release function once `bytes` (capped at the whole budget) are reserved. */
  async reserve(bytes: number): Promise<() => void> {
    const want = Math.min(Math.max(0, bytes), this.capacity);
    if (this.waiters.length === 0 && this.free >= want) this.free -= want;
    // wake() takes the bytes for a waiter before waking it, so no newcomer can take them meanwhile.
    else await new Promise<void>((wake) => this.waiters.push({ bytes: want, wake }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free += want;
      this.wake();
    };
  }

  get available(): number {
    return this.free;
  }

  /** FIFO: a big body is not starved by a stream of small ones. */
  private wake(): void {
    while (this.waiters.length > 0 && this.waiters[0]!.bytes <= this.free) {
      const next = this.waiters.shift()!;
      this.free -= next.bytes;
      next.wake();
    }
  }
}
