import type { Alert } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';
import type { Journal } from '../journal/journal.js';
import type { BrigMetrics } from '../metrics/metrics.js';
import type { BoundedQueue } from './bounded-queue.js';
import { markJournaled } from './journaled.js';

export const shedReason = 'shed: queue full';

/**
 * Durability of accepted alerts (issue 11 #9: a 202 must survive kill -9). `append` journals one
 * `alert` record synchronously, in order (so it precedes whatever the engine journals about the
 * alert); `commit` resolves once everything appended so far is fsync'd. The journal writes what
 * was appended in one go and fsyncs once for all waiting: the alerts of concurrent requests share
 * one fsync (group commit).
 */
export interface AlertJournal {
  append(alert: Alert): void;
  commit(): Promise<void>;
}

/** The AlertJournal of Brig's journal: `commit` is its flush (appends of one tick share a write). */
export function alertJournalOf(journal: Pick<Journal, 'append' | 'flush'>): AlertJournal {
  return {
    append: (alert) => void journal.append({ type: 'alert', alert }),
    commit: () => journal.flush(),
  };
}

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
  journal: AlertJournal,
): { accepted: number; shed: number; failure?: Error } {
  const room = queue.capacity - queue.size;
  const fits = alerts.length <= room || alerts.length > queue.capacity;
  let accepted = 0;
  let shed = 0;
  let failure: Error | undefined;
  for (const alert of alerts) {
    // brig_alerts_total is the engine's to count, as it takes each alert off the queue.
    if (fits && queue.offer(alert)) {
      accepted += 1;
      // Journaled in the same tick as queued: the engine cannot have taken it yet, so its record
      // comes first, and the engine (seeing the mark) does not write a second one.
      if (!failure) {
        try {
          journal.append(alert);
          markJournaled(alert);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      }
      continue;
    }
    shed += 1;
    metrics.shed.inc();
    metrics.reject(shedReason);
    record({ type: 'rejected', source, reason: shedReason, raw: rawAlert(alert) });
  }
  return failure ? { accepted, shed, failure } : { accepted, shed };
}

function rawAlert(alert: Alert): string {
  try {
    return JSON.stringify(alert).slice(0, 1024);
  } catch {
    return `{"id":${JSON.stringify(alert.id)}}`;
  }
}
