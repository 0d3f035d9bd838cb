import type { ActionRecord } from '../domain/action-record.js';
import type { Alert } from '../domain/alert.js';

/**
 * What the operator did about an alert, by the alert's identity, so that a repeat of an answered
 * alert does not act again (DESIGN §7, issue 13): Alertmanager re-sends a firing alert every
 * repeat_interval (4 h by default) with the same fingerprint@startsAt, and after a restart Brig's
 * in-process dedup has forgotten it. The answer holds until the alert resolves (a new firing has a
 * new startsAt, so a new identity) or the window passes.
 *
 * Pure data, rebuilt from the journal (journal/rebuild.ts folds the records in): restore action
 * records, skip/veto operator records (through the decision record that queued the alert), resolved
 * records. Bounded in bytes: the oldest entries go first.
 */
export type OperatorAnswer = 'restored' | 'skipped' | 'vetoed';

export interface Answered {
  answer: OperatorAnswer;
  /** When the operator answered (ms since the epoch, from the record's ts). */
  at: number;
}

export interface SerializedAlertMemory {
  answered: [string, Answered][];
  queued: [string, string][];
}

/** 1 MiB: some 8,000 Alertmanager identities (fingerprint@startsAt is ~41 characters). */
export const defaultMemoryBytes = 1024 * 1024;
/** An answer lasts this long unless the alert resolves first; `[intake] answered_window_secs`. */
export const defaultAnsweredWindowMs = 24 * 60 * 60 * 1000;
/** Longer keys are not remembered (issue 11: alert ids have size limits; a huge one costs no memory here). */
const maxKeyChars = 1024;
/** Map entry overhead besides the key's UTF-16 characters: a rough, deliberately generous figure. */
const entryOverhead = 96;

/** The alert's identity: its id, which is fingerprint@startsAt for Alertmanager (DESIGN §4). */
export function alertIdentity(alert: Pick<Alert, 'id'>): string {
  return alert.id;
}

export class AlertMemory {
  private readonly answered = new Map<string, Answered>();
  /** Decision id (the operator queue's) → the alert it queued: skip and veto name only the decision. */
  private readonly queued = new Map<string, string>();
  private used = 0;

  constructor(readonly maxBytes = defaultMemoryBytes) {}

  /** The operator's answer to this alert, when it still holds at `now`. */
  lookup(identity: string, now: number, windowMs = defaultAnsweredWindowMs): Answered | undefined {
    const found = this.answered.get(identity);
    if (!found) return undefined;
    return now - found.at <= windowMs ? found : undefined;
  }

  answer(identity: string, answer: OperatorAnswer, at: number): void {
    if (identity.length > maxKeyChars || !Number.isFinite(at)) return;
    this.deleteAnswer(identity); // re-inserted: the newest answer is the last to be evicted
    this.answered.set(identity, { answer, at });
    this.used += cost(identity);
    this.evict();
  }

  /** The alert resolved: a new firing is a new alert. */
  forget(identity: string): void {
    this.deleteAnswer(identity);
  }

  trackQueued(decisionId: string, identity: string): void {
    if (decisionId.length > maxKeyChars || identity.length > maxKeyChars) return;
    this.deleteQueued(decisionId);
    this.queued.set(decisionId, identity);
    this.used += cost(decisionId) + identity.length * 2;
    this.evict();
  }

  /** Skip or veto of a queued decision: the alert it queued is answered. */
  answerQueued(decisionId: string, answer: OperatorAnswer, at: number): void {
    const identity = this.queued.get(decisionId);
    if (identity === undefined) return;
    this.deleteQueued(decisionId);
    this.answer(identity, answer, at);
  }

  get size(): number {
    return this.answered.size;
  }

  /** Bytes accounted (keys and a per-entry overhead): never above maxBytes. */
  get bytes(): number {
    return this.used;
  }

  serialize(now: number, windowMs = defaultAnsweredWindowMs): SerializedAlertMemory {
    return {
      answered: [...this.answered].filter(([, a]) => now - a.at <= windowMs),
      queued: [...this.queued],
    };
  }

  /** Defensive: a hand-edited or newer journal may carry anything; what does not fit is dropped. */
  static deserialize(value: unknown, maxBytes = defaultMemoryBytes): AlertMemory {
    const memory = new AlertMemory(maxBytes);
    const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<SerializedAlertMemory>;
    for (const entry of Array.isArray(v.queued) ? v.queued : []) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string')
        memory.trackQueued(entry[0], entry[1]);
    }
    for (const entry of Array.isArray(v.answered) ? v.answered : []) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      const a = entry[1] as Partial<Answered> | undefined;
      if (a && isAnswer(a.answer) && typeof a.at === 'number') memory.answer(entry[0], a.answer, a.at);
    }
    return memory;
  }

  private deleteAnswer(identity: string): void {
    if (this.answered.delete(identity)) this.used -= cost(identity);
  }

  private deleteQueued(decisionId: string): void {
    const identity = this.queued.get(decisionId);
    if (identity === undefined) return;
    this.queued.delete(decisionId);
    this.used -= cost(decisionId) + identity.length * 2;
  }

  /** Oldest first; queued decisions go before answers (a lost one costs only a repeat decision). */
  private evict(): void {
    while (this.used > this.maxBytes && this.queued.size > 0)
      this.deleteQueued(this.queued.keys().next().value as string);
    while (this.used > this.maxBytes && this.answered.size > 0)
      this.deleteAnswer(this.answered.keys().next().value as string);
  }
}

function cost(key: string): number {
  return key.length * 2 + entryOverhead;
}

export function isAnswer(value: unknown): value is OperatorAnswer {
  return value === 'restored' || value === 'skipped' || value === 'vetoed';
}

/**
 * Containers to restore when an alert resolves: those with an isolating action, still in force,
 * taken for this alert by a policy with `restore_on_resolve = true`.
 */
export function restoreOnResolve(
  isolation: ReadonlyMap<string, readonly ActionRecord[]>,
  identity: string,
  optedIn: (policyId: string) => boolean,
): string[] {
  const containers: string[] = [];
  for (const [containerId, records] of isolation) {
    if (records.some((r) => r.alert === identity && r.policy !== null && optedIn(r.policy)))
      containers.push(containerId);
  }
  return containers;
}
