import type { LogLine } from '../domain/log-line.js';

/** A line as the view keeps it: `seq` numbers every line received, so a position survives drops. */
export interface RingLine extends LogLine {
  seq: number;
}

/** What one kept line is counted as: its strings at two bytes a code unit, plus the object itself. */
export function lineCost(line: LogLine): number {
  return 2 * (line.text.length + (line.time?.length ?? 0)) + 96;
}

/**
 * The logs view's memory: the newest `maxLines` lines, and fewer when they would cost more than
 * `maxBytes` (see lineCost). The oldest go first and are counted, so the view can say what it
 * no longer holds.
 */
export class LogRing {
  private readonly slots: Array<RingLine | undefined>;
  private head = 0;
  private size = 0;
  private cost = 0;
  private nextSeq = 0;
  private droppedCount = 0;

  constructor(
    readonly maxLines = 5000,
    readonly maxBytes = 4 * 1024 * 1024,
  ) {
    if (!Number.isInteger(maxLines) || maxLines < 1)
      throw new Error(`maxLines: expected ≥ 1, got ${maxLines}`);
    this.slots = new Array<RingLine | undefined>(maxLines);
  }

  push(line: LogLine): RingLine {
    const kept: RingLine = { ...line, seq: this.nextSeq++ };
    const cost = lineCost(kept);
    while (this.size > 0 && (this.size === this.maxLines || this.cost + cost > this.maxBytes))
      this.dropOldest();
    this.slots[(this.head + this.size) % this.maxLines] = kept;
    this.size += 1;
    this.cost += cost;
    return kept;
  }

  private dropOldest(): void {
    const oldest = this.slots[this.head]!;
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.maxLines;
    this.size -= 1;
    this.cost -= lineCost(oldest);
    this.droppedCount += 1;
  }

  get length(): number {
    return this.size;
  }

  /** Lines dropped to stay within the bounds since the ring was made. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** The kept lines' cost (lineCost), never above maxBytes unless one line alone is. */
  get bytes(): number {
    return this.cost;
  }

  /** Lines received in all (kept and dropped): changes with every push. */
  get received(): number {
    return this.nextSeq;
  }

  /** Oldest first. */
  toArray(): RingLine[] {
    const out = new Array<RingLine>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.slots[(this.head + i) % this.maxLines]!;
    return out;
  }
}
