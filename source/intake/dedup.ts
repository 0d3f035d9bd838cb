/**
 * "An alert id seen again within 10 minutes is a duplicate" (DESIGN §4), in bounded memory: ids are
 * kept in arrival order and forgotten once older than the window, or oldest-first past `maxEntries`
 * or `maxBytes` (a flood of unique or long ids then costs dedup accuracy for the oldest ids, never
 * memory). Bytes, not only entries: 100,000 ids of 1 MB each would be 100 GB.
 */
export class AlertDeduper {
  private readonly seen = new Map<string, number>();
  private heldBytes = 0;

  constructor(
    private readonly windowMs = 600_000,
    private readonly maxEntries = 100_000,
    private readonly maxBytes = 16 * 1024 * 1024,
  ) {}

  /** True when `id` was first seen less than the window ago; otherwise remembers it from `now` (epoch ms). */
  isDuplicate(id: string, now: number): boolean {
    this.forgetOlderThan(now - this.windowMs);
    const firstSeen = this.seen.get(id);
    if (firstSeen !== undefined && now - firstSeen < this.windowMs) return true;
    this.forget(id);
    this.seen.set(id, now);
    this.heldBytes += entryBytes(id);
    while (this.seen.size > this.maxEntries || (this.heldBytes > this.maxBytes && this.seen.size > 1))
      this.forget(this.seen.keys().next().value!);
    return false;
  }

  get size(): number {
    return this.seen.size;
  }

  /** An estimate of the memory the remembered ids hold (see entryBytes). */
  get bytes(): number {
    return this.heldBytes;
  }

  private forget(id: string): void {
    if (this.seen.delete(id)) this.heldBytes -= entryBytes(id);
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [id, at] of this.seen) {
      if (at > cutoff) break;
      this.forget(id);
    }
  }
}

/** Two bytes per UTF-16 unit (V8's worst case) plus the map entry and the string header. */
function entryBytes(id: string): number {
  return 2 * id.length + 64;
}
