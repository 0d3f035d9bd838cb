import type { JournalEntry } from '../../source/domain/journal-record.js';
import type { AlertJournal } from '../../source/intake/hand-over.js';

/** An in-memory AlertJournal for HTTP server tests: records land in `entries`, commit is immediate. */
export function alertJournalTo(entries: JournalEntry[]): AlertJournal {
  return {
    append: (alert) => void entries.push({ type: 'alert', alert }),
    commit: () => Promise.resolve(),
  };
}
