import type { Alert } from '../domain/alert.js';

/**
 * Alerts whose `alert` record the intake journaled itself before answering 202 (issue 11 #9): the
 * engine does not journal them a second time. Keyed by object, so nothing is kept once the alert is
 * gone.
 */
const journaled = new WeakSet<Alert>();

export function markJournaled(alert: Alert): void {
  journaled.add(alert);
}

export function isJournaled(alert: Alert): boolean {
  return journaled.has(alert);
}
