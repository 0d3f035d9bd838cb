/**
 * The hand-over from intake to the engine (issue 4, back-pressure): a FIFO that never grows past
 * `capacity`. HTTP offers and sheds when full (503); file input waits for space instead.
 */
export class BoundedQueue<T> {
  private items: (T | undefined)[];
  private head = 0;
  private count = 0;
  private readonly takers: ((item: T) => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  private roomWaiters: { level: number; wake: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`queue capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `item` unless the queue is full; false = full, the caller sheds or waits. */
  offer(item: T): boolean {
    const taker = this.takers.shift();
    if (taker) {
      taker(item);
      return true;
    }
    if (this.count >= this.capacity) return false;
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count += 1;
    return true;
  }

  tryTake(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count -= 1;
    this.wakeSpaceWaiters();
    return item;
  }

  /** The next item, waiting for one if the queue is empty. */
  take(): Promise<T> {
    if (this.count > 0) return Promise.resolve(this.tryTake() as T);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  /** Resolves once at least one slot is free (at once if one is). */
  waitForSpace(): Promise<void> {
    if (this.count < this.capacity) return Promise.resolve();
    return new Promise((resolve) => this.spaceWaiters.push(resolve));
  }

  /**
   * Resolves true once the queue holds at most `level` items, or false after `timeoutMs` (at once
   * when it already does). For HTTP: a request into a full queue waits a moment, unread, before it
   * is shed, so a sender retrying in a tight loop is slowed to the engine's pace instead of being
   * parsed and shed as fast as it can send.
   */
  waitForRoom(level: number, timeoutMs: number): Promise<boolean> {
    if (this.count <= level) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        level,
        wake: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer = setTimeout(() => {
        this.roomWaiters = this.roomWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.roomWaiters.push(waiter);
    });
  }

  private wakeSpaceWaiters(): void {
    // One at a time, first come first served: the room freed by one take is for one batch, and
    // waking every waiter at once would have all but one find it gone again.
    const first = this.roomWaiters[0];
    if (first && this.count <= first.level) {
      this.roomWaiters.shift();
      first.wake();
    }
    if (this.spaceWaiters.length === 0) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }
}
