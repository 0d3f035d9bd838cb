import { createReadStream } from 'node:fs';
import { JournalRecordSchema, type JournalRecord } from '../domain/journal-record.js';

export interface JournalReadResult {
  records: JournalRecord[];
  /** Lines that were not records, with why: reported, never silently dropped. */
  skipped: { line: number; reason: string }[];
}

const knownTypes = new Set(['alert', 'rejected', 'decision', 'action', 'operator', 'policies', 'engine']);

/**
 * Reads a journal in order. Never throws on content: a torn last line (a crash mid-write) is reported in
 * `skipped` and otherwise ignored; a record of an unknown type or a newer version is kept as it is, so a
 * newer Brig's journal still reads. A missing file reads as empty.
 */
export async function readJournal(file: string): Promise<JournalReadResult> {
  const result: JournalReadResult = { records: [], skipped: [] };
  await scanJournal(file, {
    record: (r) => result.records.push(r),
    skip: (line, reason) => result.skipped.push({ line, reason }),
  });
  return result;
}

export interface JournalVisitor {
  record(record: JournalRecord): void;
  skip(line: number, reason: string): void;
}

/** readJournal without holding the records: each is handed over as it is read (bounded memory). */
export async function scanJournal(file: string, visit: JournalVisitor): Promise<void> {
  let lineNumber = 0;
  let rest: Buffer | undefined;
  try {
    // Byte-wise split on \n: a newline byte never occurs inside a UTF-8 sequence.
    for await (const chunk of createReadStream(file)) {
      let data = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
      let nl = data.indexOf(0x0a);
      while (nl !== -1) {
        lineNumber++;
        readLine(data.subarray(0, nl).toString('utf8'), lineNumber, false, visit);
        data = data.subarray(nl + 1);
        nl = data.indexOf(0x0a);
      }
      rest = data.length > 0 ? Buffer.from(data) : undefined;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (rest) readLine(rest.toString('utf8'), lineNumber + 1, true, visit);
}

function readLine(text: string, line: number, last: boolean, visit: JournalVisitor): void {
  if (text.trim() === '') return;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    visit.skip(
      line,
      last ? 'torn last line (Brig stopped mid-write): ignored' : `not JSON: ${(error as Error).message}`,
    );
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    visit.skip(line, 'not a JSON object');
    return;
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') {
    visit.skip(line, 'record has no "type"');
    return;
  }
  // Known v1 records are checked; the raw object is kept so that fields added later survive.
  if (knownTypes.has(type) && (value as { v?: unknown }).v === 1) {
    const parsed = JournalRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      visit.skip(line, `invalid ${type} record: ${where}${issue?.message ?? 'invalid'}`);
      return;
    }
  }
  visit.record(value as JournalRecord);
}
