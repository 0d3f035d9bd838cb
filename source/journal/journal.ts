import { mkdir, open, readFile, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { JournalEntry, JournalRecord } from '../domain/journal-record.js';
import { scanJournal } from './read-journal.js';
import { applyRecord, emptyState, serializeState, type RebuiltState } from './rebuild.js';

export interface JournalOptions {
  /** Rotate before the file would grow past this many bytes (default 64 MiB). */
  maxBytes?: number;
  /** Rotated files kept: <file>.1 … <file>.<keep> (default 3). */
  keep?: number;
  /** A write that failed (disk full, …): the journal keeps going and reports it here (else a process warning). */
  onError?: (error: Error) => void;
  /** While the journal cannot write, the bytes of records kept for the retry (default 8 MiB); older ones are dropped and counted. */
  retryBufferBytes?: number;
  /** How often a failed journal tries again (default 1000 ms). */
  retryMs?: number;
}

/** Whether records reach the disk. `ok: false` means appendDurable rejects: Brig must not act. */
export interface JournalHealth {
  ok: boolean;
  error?: string;
  /** Epoch ms of the first failure of this outage. */
  since?: number;
}

/** Another Brig holds the journal: two writers would interleave records (exit 1 at start). */
export class JournalLockedError extends Error {
  override name = 'JournalLockedError';
  constructor(
    readonly file: string,
    readonly pid: number,
  ) {
    super(`journal ${file} is in use by another Brig (pid ${pid}); stop it, or give this one --journal FILE`);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}
/** Queue items: record lines, a rotation point (with its first line), or someone waiting for fsync. */
type Item = string | { rotate: string } | { waiter: Waiter };

const defaultMaxBytes = 64 * 1024 * 1024;

/**
 * The append-only JSONL journal (DESIGN §7). Appends are buffered and written in order by one writer;
 * `appendDurable` resolves only after everything appended before it, and itself, is fsync'd. The
 * journal folds every record into a live state so that a rotation can start the next file with it.
 */
export class Journal {
  private queue: Item[] = [];
  private writing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;
  /** Bytes in the current file once everything queued is written. */
  private size: number;
  /** Records in the current file besides a rotation header: an empty file never rotates. */
  private recordsInFile: number;
  private readonly listeners = new Set<(r: JournalRecord) => void>();
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly onError: ((error: Error) => void) | undefined;
  /** Bytes known to be in the current file: a failed write is cut back to this, never left torn. */
  private written: number;
  private healthState: JournalHealth = { ok: true };
  private readonly healthListeners = new Set<(h: JournalHealth) => void>();
  private retryTimer: NodeJS.Timeout | undefined;
  private dropped = 0;
  private readonly retryBufferBytes: number;
  private readonly retryMs: number;

  private constructor(
    readonly file: string,
    private handle: FileHandle,
    size: number,
    private readonly live: RebuiltState,
    /** Lines of the existing file that were not records (see readJournal). */
    readonly skipped: readonly { line: number; reason: string }[],
    options: JournalOptions,
  ) {
    this.size = size;
    this.written = size;
    this.recordsInFile = size > 0 ? 1 : 0;
    this.retryBufferBytes = options.retryBufferBytes ?? 8 * 1024 * 1024;
    this.retryMs = options.retryMs ?? 1000;
    this.maxBytes = options.maxBytes ?? defaultMaxBytes;
    this.keep = Math.max(0, Math.floor(options.keep ?? 3));
    this.onError = options.onError;
  }

  /** Opens (creating with mode 0600, its directory 0700) and reads what is already there. */
  static async open(file: string, options: JournalOptions = {}): Promise<Journal> {
    if (options.maxBytes !== undefined && !(options.maxBytes > 0))
      throw new Error(`journal ${file}: maxBytes must be positive`);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await acquireLock(file);
    try {
      return await Journal.openLocked(file, options);
    } catch (error) {
      await releaseLock(file);
      throw error;
    }
  }

  private static async openLocked(file: string, options: JournalOptions): Promise<Journal> {
    await finishRotation(file);
    // Folded as read, not held: a 64 MiB journal does not become 64 MiB of objects.
    const state = emptyState();
    const skipped: { line: number; reason: string }[] = [];
    await scanJournal(file, {
      record: (r) => applyRecord(state, r),
      skip: (line, reason) => skipped.push({ line, reason }),
    });
    const handle = await open(file, 'a+', 0o600);
    try {
      let { size } = await handle.stat();
      if (size > 0) {
        // A crash mid-write left a torn last line: start ours on a fresh line so it stays readable.
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          await handle.write('\n');
          size += 1;
        }
      }
      return new Journal(file, handle, size, state, skipped, options);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** The state the journal's records leave behind, kept current on every append. Read-only for callers. */
  get state(): RebuiltState {
    return this.live;
  }

  /** Stamps v and ts, queues the line in order, and tells the listeners. Returns the record. */
  append(entry: JournalEntry): JournalRecord {
    if (this.closed) throw new Error(`journal ${this.file} is closed`);
    const ts = new Date().toISOString();
    const record = Object.assign({ v: 1, ts, type: entry.type }, entry) as JournalRecord;
    // An ActionRecord spread into the entry brings its own ts: the journal's stamp wins.
    record.ts = ts;
    const line = `${JSON.stringify(record)}\n`;
    const bytes = Buffer.byteLength(line);
    if (this.recordsInFile > 0 && this.size + bytes > this.maxBytes) this.queueRotation();
    this.queue.push(line);
    this.size += bytes;
    this.recordsInFile++;
    applyRecord(this.live, record);
    this.emit(record);
    this.schedule();
    return record;
  }

  /** Like append, but resolves once the record (and everything before it) is fsync'd. */
  appendDurable(entry: JournalEntry): Promise<JournalRecord> {
    let record: JournalRecord;
    try {
      record = this.append(entry);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.sync().then(() => record);
  }

  onRecord(listener: (r: JournalRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything appended so far is written and fsync'd. */
  flush(): Promise<void> {
    return this.sync();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const flushed = this.sync();
    this.closed = true;
    clearTimeout(this.retryTimer);
    try {
      await flushed;
    } finally {
      await this.handle.close();
      await releaseLock(this.file);
    }
  }

  get health(): JournalHealth {
    return this.healthState;
  }

  onHealth(listener: (h: JournalHealth) => void): () => void {
    this.healthListeners.add(listener);
    return () => this.healthListeners.delete(listener);
  }

  private setHealth(next: JournalHealth): void {
    const was = this.healthState;
    this.healthState = next;
    if (was.ok === next.ok) return;
    for (const listener of this.healthListeners) {
      try {
        listener(next);
      } catch (error) {
        this.report(error);
      }
    }
  }

  private sync(): Promise<void> {
    if (this.closed) return Promise.reject(new Error(`journal ${this.file} is closed`));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ waiter: { resolve, reject } });
      this.schedule();
    });
  }

  private queueRotation(): void {
    const now = Date.now();
    const header = {
      v: 1,
      ts: new Date(now).toISOString(),
      type: 'engine',
      event: 'rotated',
      previous: `${path.basename(this.file)}.1`,
      state: serializeState(this.live, now),
    } as JournalRecord;
    const line = `${JSON.stringify(header)}\n`;
    this.queue.push({ rotate: line });
    this.size = Buffer.byteLength(line);
    this.recordsInFile = 0;
    applyRecord(this.live, header);
    this.emit(header);
  }

  private emit(record: JournalRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch (error) {
        this.report(error);
      }
    }
  }

  /** One writer at a time; appends made in the same tick are written together. */
  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.writing = this.drain().finally(() => {
        this.writing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const items = this.queue;
      this.queue = [];
      let lines: string[] = [];
      let waiters: Waiter[] = [];
      let index = 0;
      try {
        for (; index < items.length; index++) {
          const item = items[index]!;
          if (typeof item === 'string') lines.push(item);
          else if ('waiter' in item) waiters.push(item.waiter);
          else {
            await this.write(lines);
            lines = [];
            await this.rotate(item.rotate);
            // Rotation fsync'd the old file: whoever waited on records in it is served.
            waiters.forEach((w) => w.resolve());
            waiters = [];
          }
        }
        await this.write(lines);
        lines = [];
        if (waiters.length > 0) await this.handle.sync();
        waiters.forEach((w) => w.resolve());
        if (!this.healthState.ok) this.recovered();
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        await this.failed(failure, lines, items.slice(index + 1));
        waiters.forEach((w) => w.reject(failure));
        for (const item of items.slice(index + 1))
          if (typeof item === 'object' && 'waiter' in item) item.waiter.reject(failure);
        return;
      }
    }
  }

  /**
   * A write failed (disk full, I/O error): the file is cut back to its last whole record, so that no
   * record is ever appended onto a torn line, and the unwritten records wait (bounded) for a retry.
   */
  private async failed(failure: Error, unwritten: string[], rest: Item[]): Promise<void> {
    await this.handle.truncate(this.written).catch(() => undefined);
    const keep = [...unwritten, ...rest.filter((i): i is string => typeof i === 'string'), ...this.queue];
    let bytes = keep.reduce((n, line) => n + (typeof line === 'string' ? Buffer.byteLength(line) : 0), 0);
    while (bytes > this.retryBufferBytes && keep.length > 0) {
      const line = keep.shift();
      if (typeof line === 'string') bytes -= Buffer.byteLength(line);
      this.dropped++;
    }
    this.queue = keep;
    this.size = this.written + bytes;
    if (this.healthState.ok) {
      this.report(failure);
      this.setHealth({ ok: false, error: failure.message, since: Date.now() });
    }
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.closed) this.schedule();
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /** The first write that works after an outage says what happened, then the journal is healthy again. */
  private recovered(): void {
    const since = this.healthState.since ?? Date.now();
    const error = this.healthState.error;
    const dropped = this.dropped;
    this.dropped = 0;
    this.setHealth({ ok: true });
    this.append({
      type: 'engine',
      event: 'journal-recovered',
      down_ms: Date.now() - since,
      error,
      dropped_records: dropped,
    });
  }

  private async write(lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    const buffer = Buffer.from(lines.join(''));
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset);
      offset += bytesWritten;
    }
    this.written += buffer.length;
  }

  /**
   * <file> → <file>.1 → … → <file>.<keep>. The new file is written (its first line the carried state)
   * and fsync'd under <file>.next before any rename, so a crash at any point leaves either the old file
   * or the new one in place, never a journal without its state (Journal.open finishes the job).
   */
  private async rotate(header: string): Promise<void> {
    await this.handle.sync();
    await this.handle.close();
    const next = `${this.file}.next`;
    this.handle = await open(next, 'w', 0o600);
    this.written = 0;
    await this.write([header]);
    await this.handle.sync();
    try {
      for (let i = this.keep - 1; i >= 1; i--) {
        await rename(`${this.file}.${i}`, `${this.file}.${i + 1}`).catch(ignoreMissing);
      }
      if (this.keep > 0) await rename(this.file, `${this.file}.1`);
      else await unlink(this.file).catch(ignoreMissing);
      // The open handle follows the file through the rename.
      await rename(next, this.file);
    } catch (error) {
      // Could not rotate: keep appending to the old file (a state header mid-file is harmless).
      this.report(error);
      await this.handle.close();
      await unlink(next).catch(() => undefined);
      this.handle = await open(this.file, 'a+', 0o600);
      this.written = (await this.handle.stat()).size;
      await this.write([header]);
    }
    await syncDirectory(path.dirname(this.file));
  }

  private report(error: unknown): void {
    const e = error instanceof Error ? error : new Error(String(error));
    // Never silent: without a handler the process warning goes to stderr.
    if (this.onError) this.onError(e);
    else process.emitWarning(new Error(`journal ${this.file}: ${e.message}`, { cause: e }));
  }
}

/** A rotation cut short by a crash: <file>.next holds the new file when <file> is gone; else it is stale. */
async function finishRotation(file: string): Promise<void> {
  const next = `${file}.next`;
  const exists = (p: string) =>
    stat(p).then(
      () => true,
      () => false,
    );
  if (!(await exists(next))) return;
  if (await exists(file)) await unlink(next);
  else await rename(next, file);
}

/** Makes renames in `dir` survive a power loss; best effort (not every filesystem allows it). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}

/**
 * One Brig per journal: `<file>.lock` holds the owner's pid, created exclusively. A lock whose pid is
 * gone (a Brig killed with -9) is taken over; one held by a live process is a JournalLockedError.
 */
async function acquireLock(file: string): Promise<void> {
  const lock = `${file}.lock`;
  for (let tries = 0; tries < 3; tries++) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
      throw new JournalLockedError(file, pid);
    // Stale (or our own, from a journal this process did not close): take it over.
    await unlink(lock).catch(ignoreMissing);
  }
  throw new Error(`journal ${file}: could not take ${lock}`);
}

async function releaseLock(file: string): Promise<void> {
  const lock = `${file}.lock`;
  const pid = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
  if (pid === process.pid) await unlink(lock).catch(() => undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
