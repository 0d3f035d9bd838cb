import type { ContainerRef } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';

/**
 * What an intake payload said besides alerts and rejections: each is journaled (and so counted by
 * the metrics, which read the journal), never only mentioned in a 202 body that senders discard.
 */
export type IntakeEvent =
  /** A resolved Alertmanager entry; `alert` is the identity its firing had (fingerprint@startsAt). */
  | {
      kind: 'resolved';
      source: string;
      alert: string;
      rule?: string;
      container?: ContainerRef;
      startsAt?: string;
      endsAt?: string;
    }
  /** Alertmanager dropped this many alerts from the group (`max_alerts`): Brig never saw them. */
  | { kind: 'truncated'; source: string; count: number; receiver?: string; groupKey?: string }
  /** A severity word not in the table: the alert was taken as Info. */
  | { kind: 'unknown-severity'; source: string; word: string; alert: string; rule: string };

/** The journal record for an event (DESIGN §7: `resolved`; the others are `engine` records). */
export function intakeEventEntry(event: IntakeEvent): JournalEntry {
  switch (event.kind) {
    case 'resolved': {
      const { kind: _kind, startsAt, endsAt, ...rest } = event;
      return {
        type: 'resolved',
        ...rest,
        ...(startsAt ? { starts_at: startsAt } : {}),
        ...(endsAt ? { ends_at: endsAt } : {}),
      };
    }
    case 'truncated': {
      const { kind: _kind, groupKey, ...rest } = event;
      return {
        type: 'engine',
        event: 'alerts-truncated',
        ...rest,
        ...(groupKey ? { group_key: groupKey } : {}),
      };
    }
    case 'unknown-severity': {
      const { kind: _kind, ...rest } = event;
      return { type: 'engine', event: 'unknown-severity', ...rest, severity: 'Info' };
    }
  }
}
