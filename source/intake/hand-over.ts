import type { Alert } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';
import type { BrigMetrics } from '../metrics/metrics.js';
import type { BoundedQueue } from './bounded-queue.js';

export const shedReason = 'shed: queue full';

/**
 * Hands a request's alerts to the engine all or nothing: when they do not all fit, none is queued
 * and every one is counted and journaled as shed, so a sender that retries after 503 sends no
 * duplicates. A batch bigger than the whole queue can never fit at once: it is queued as far as it goes.
 */
export function offerAll(
  alerts: Alert[],
  queue: BoundedQueue<Alert>,
  metrics: BrigMetrics,
  record: (entry: JournalEntry) => void,
  source: string,
): { accepted: number; shed: number } {
  const room = queue.capacity - queue.size;
  const fits = alerts.length <= room || alerts.length > queue.capacity;
  let accepted = 0;
  let shed = 0;
  for (const alert of alerts) {
    // brig_alerts_total is the engine's to count, as it takes each alert off the queue.
    if (fits && queue.offer(alert)) {
      accepted += 1;
      continue;
    }
    shed += 1;
    metrics.shed.inc();
    metrics.reject(shedReason);
    record({ type: 'rejected', source, reason: shedReason, raw: rawAlert(alert) });
  }
  return { accepted, shed };
}

function rawAlert(alert: Alert): string {
  try {
    return JSON.stringify(alert).slice(0, 1024);
  } catch {
    return `{"id":${JSON.stringify(alert.id)}}`;
  }
}
