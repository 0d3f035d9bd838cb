/**
 * Coalesces change notifications: at most one rebuild per `intervalMs` (100 ms = 10 snapshots a
 * second, DESIGN §10), however many alerts, events and actions arrive in between.
 */
export class SnapshotPublisher<T> {
  private current: T | undefined;
  private dirty = true;
  private timer: NodeJS.Timeout | undefined;
  private lastBuild = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly build: () => T,
    private readonly intervalMs = 100,
  ) {}

  get(): T {
    if (this.current === undefined || (this.dirty && this.timer === undefined)) this.rebuild();
    return this.current as T;
  }

  changed(): void {
    this.dirty = true;
    if (this.timer) return;
    const wait = Math.max(0, this.lastBuild + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.rebuild();
      for (const listener of this.listeners) listener();
    }, wait);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private rebuild(): void {
    this.current = this.build();
    this.dirty = false;
    this.lastBuild = Date.now();
  }
}
