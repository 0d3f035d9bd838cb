import type { JournalEntry } from '../domain/journal-record.js';
import type { HttpRejectionReason, IntakeHttpMetrics } from '../metrics/metrics.js';

export const defaultSummaryIntervalMs = 10_000;

/**
 * HTTP-level refusals (401, 404, 413, 431, timeouts, …) are counted in `brig_http_rejected_total`
 * at once and journaled as one summary record per interval at most, never one record per request:
 * an unauthenticated client must not be able to fill the journal and rotate its history away
 * (issue 11: 30k records in 15 s from 4 clients). The summary, when anything was refused:
 *   {"type":"rejected","source":"http","reason":"summary","raw":"","since":ISO,"counts":{reason:n}}
 */
export class HttpRejectionLog {
  private counts: Partial<Record<HttpRejectionReason, number>> = {};
  private since: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly metrics: IntakeHttpMetrics,
    private readonly record: (entry: JournalEntry) => void,
    private readonly intervalMs = defaultSummaryIntervalMs,
  ) {}

  count(reason: HttpRejectionReason): void {
    this.metrics.rejected.inc({ reason });
    this.counts[reason] = (this.counts[reason] ?? 0) + 1;
    if (this.timer) return;
    this.since = new Date().toISOString();
    this.timer = setTimeout(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Journals what was counted since the last summary, if anything. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.since) return;
    const counts = this.counts;
    const since = this.since;
    this.counts = {};
    this.since = undefined;
    this.record({ type: 'rejected', source: 'http', reason: 'summary', raw: '', since, counts });
  }
}
