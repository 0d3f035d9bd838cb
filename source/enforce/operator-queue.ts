import type { Alert } from '../domain/alert.js';
import type { Decision } from '../domain/decision.js';
import type { QueueItem } from '../domain/snapshot.js';

/**
 * Decisions waiting for the operator: disarmed approvals, dry-run proposals, and grace countdowns.
 * Bounded: past the cap the oldest non-grace item is dropped, and the caller journals that.
 */
export class OperatorQueue {
  private readonly items = new Map<string, QueueItem>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private sequence = 0;

  constructor(private readonly capacity = 1000) {}

  add(kind: QueueItem['kind'], alert: Alert, decision: Decision): { item: QueueItem; evicted?: QueueItem } {
    this.sequence += 1;
    const item: QueueItem = { id: `q${this.sequence}`, kind, alert, decision, deadline: decision.deadline };
    let evicted: QueueItem | undefined;
    if (this.items.size >= this.capacity) {
      evicted = [...this.items.values()].find((i) => i.kind !== 'grace');
      if (evicted) this.items.delete(evicted.id);
    }
    this.items.set(item.id, item);
    return { item, evicted };
  }

  /** A grace countdown: `fire` runs at the deadline unless the item is vetoed (taken) first. */
  schedule(id: string, deadline: number, now: number, fire: (item: QueueItem) => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(id);
        const item = this.take(id);
        if (item) fire(item);
      },
      Math.max(0, deadline - now),
    );
    this.timers.set(id, timer);
  }

  take(id: string): QueueItem | undefined {
    const item = this.items.get(id);
    if (!item) return undefined;
    this.items.delete(id);
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    return item;
  }

  list(): QueueItem[] {
    return [...this.items.values()];
  }

  get size(): number {
    return this.items.size;
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
