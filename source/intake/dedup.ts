/**
 * "An alert id seen again within 10 minutes is a duplicate" (DESIGN §4), in bounded memory: ids are
 * kept in arrival order and forgotten once older than the window, or oldest-first past `maxEntries`
 * (a flood of unique ids then costs dedup accuracy for the oldest ids, never memory).
 */
export class AlertDeduper {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly windowMs = 600_000,
    private readonly maxEntries = 100_000,
  ) {}

  /** True when `id` was first seen less than the window ago; otherwise remembers it from `now` (epoch ms). */
  isDuplicate(id: string, now: number): boolean {
    this.forgetOlderThan(now - this.windowMs);
    const firstSeen = this.seen.get(id);
    if (firstSeen !== undefined && now - firstSeen < this.windowMs) return true;
    this.seen.delete(id);
    this.seen.set(id, now);
    while (this.seen.size > this.maxEntries) this.seen.delete(this.seen.keys().next().value!);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [id, at] of this.seen) {
      if (at > cutoff) break;
      this.seen.delete(id);
    }
  }
}
