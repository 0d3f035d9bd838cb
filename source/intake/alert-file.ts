import { constants, openSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Alert } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';
import type { BrigMetrics } from '../metrics/metrics.js';
import { LineSplitter } from '../util/line-splitter.js';
import type { BoundedQueue } from './bounded-queue.js';
import { parseValue } from './parse.js';

export interface FollowOptions {
  queue: BoundedQueue<Alert>;
  record: (entry: JournalEntry) => void;
  metrics: BrigMetrics;
  /** Longest line read; a longer one is rejected as it streams, never held whole. Default 1 MiB. */
  maxLineBytes?: number;
  onWarning?: (message: string) => void;
  /** For '-': the stream to read instead of process.stdin (tests). */
  input?: Readable;
  /** How often a followed file is checked for appends, truncation and rotation. Default 250 ms. */
  pollMs?: number;
  /**
   * Where reading a regular file starts: 'beginning' (default: a file of alerts is read whole, then
   * followed) or 'end' (only what is appended from now on, like `tail -n 0 -F`: a long-lived log is
   * not replayed on restart; line numbers in messages then count from there). Files that appear
   * later, or replace a rotated one, are read whole.
   */
  start?: 'beginning' | 'end';
}

export interface AlertFollower {
  close(): void;
  /** Resolves when stdin ends, or after close(). */
  done: Promise<void>;
  /** Peak characters held for an unfinished line (the memory bound of a line). */
  readonly peakBufferedLength: number;
}

const chunkBytes = 64 * 1024;

/**
 * `--alerts PATH|-`: NDJSON alerts (any intake format per line) from stdin, a FIFO, or a file
 * followed like `tail -F` (read from its start, then appends; truncation and rotation by rename
 * are noticed). A full queue makes the reader wait: file input is never shed.
 */
export function followAlerts(path: string, options: FollowOptions): AlertFollower {
  const reader = new LineReader(path, options);
  const done = (async () => {
    try {
      if (path === '-') await reader.readStream(options.input ?? process.stdin);
      else if ((await stat(path).catch(() => undefined))?.isFIFO()) await reader.readFifo();
      else await reader.followFile();
    } catch (error) {
      if (!reader.closed)
        options.onWarning?.(
          `brig: --alerts ${path}: ${error instanceof Error ? error.message : String(error)}`,
        );
    }
  })();
  return {
    close: () => reader.close(),
    done,
    get peakBufferedLength() {
      return reader.peakBuffered;
    },
  };
}

class LineReader {
  peakBuffered = 0;
  closed = false;
  private readonly closeWaiters = new Set<() => void>();
  private readonly onClose: (() => void)[] = [];
  private splitter: LineSplitter;
  private pending: { line?: string; lineNumber: number; oversize?: { head: string; length: number } }[] = [];
  private readonly source: string;
  private readonly maxLineBytes: number;

  constructor(
    private readonly path: string,
    private readonly options: FollowOptions,
  ) {
    this.source = path === '-' ? 'stdin' : `file:${path}`;
    this.maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
    this.splitter = this.newSplitter();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.onClose) stop();
    for (const wake of this.closeWaiters) wake();
  }

  async readStream(stream: Readable): Promise<void> {
    this.onClose.push(() => stream.destroy());
    try {
      for await (const chunk of stream) {
        if (this.closed) return;
        await this.push(chunk as Buffer);
      }
    } catch (error) {
      if (!this.closed) throw error;
    }
    this.splitter.end();
    await this.drain();
  }

  /** A FIFO opened read-write never sees EOF between writers: it is followed until close(), like a file. */
  async readFifo(): Promise<void> {
    const fd = openSync(this.path, constants.O_RDWR | constants.O_NONBLOCK);
    await this.readStream(new Socket({ fd, readable: true, writable: false }));
  }

  async followFile(): Promise<void> {
    const pollMs = this.options.pollMs ?? 250;
    let file: { handle: FileHandle; ino: number; offset: number } | undefined;
    let waitingWarned = false;
    let firstOpen = true;
    this.onClose.push(() => void file?.handle.close().catch(() => undefined));
    const buffer = Buffer.alloc(chunkBytes);
    while (!this.closed) {
      if (!file) {
        const opened = await openFile(this.path);
        if (!opened) {
          if (!waitingWarned)
            this.options.onWarning?.(`brig: --alerts ${this.path}: no such file yet; waiting for it`);
          waitingWarned = true;
          firstOpen = false; // a file that appears later is new: read it whole
          await this.sleep(pollMs);
          continue;
        }
        file = {
          handle: opened.handle,
          ino: opened.ino,
          offset: firstOpen && this.options.start === 'end' ? opened.size : 0,
        };
        firstOpen = false;
        this.splitter = this.newSplitter();
      }
      // Read everything there is now.
      for (;;) {
        if (this.closed) return;
        const { bytesRead } = await file.handle.read(buffer, 0, chunkBytes, file.offset);
        if (bytesRead === 0) break;
        file.offset += bytesRead;
        await this.push(Buffer.from(buffer.subarray(0, bytesRead)));
      }
      const now = await stat(this.path).catch(() => undefined);
      const current = await file.handle.stat();
      if (now && now.ino !== file.ino) {
        // Rotated (renamed away and recreated): the old file is finished; its last line counts.
        this.splitter.end();
        await this.drain();
        await file.handle.close().catch(() => undefined);
        file = undefined;
        continue;
      }
      if (current.size < file.offset) {
        this.options.onWarning?.(`brig: --alerts ${this.path}: truncated; reading again from the start`);
        file.offset = 0;
        this.splitter = this.newSplitter();
        continue;
      }
      await this.sleep(pollMs);
    }
  }

  private newSplitter(): LineSplitter {
    return new LineSplitter(
      {
        onLine: (line, lineNumber) => this.pending.push({ line, lineNumber }),
        onOversize: (head, length, lineNumber) =>
          this.pending.push({ lineNumber, oversize: { head, length } }),
      },
      this.maxLineBytes,
    );
  }

  private async push(chunk: Buffer): Promise<void> {
    this.splitter.push(chunk);
    this.peakBuffered = Math.max(this.peakBuffered, this.splitter.bufferedLength);
    await this.drain();
  }

  private async drain(): Promise<void> {
    const lines = this.pending;
    this.pending = [];
    for (const item of lines) {
      if (this.closed) return;
      if (item.oversize) {
        this.reject(
          `line too long: ${item.oversize.length} bytes (max ${this.maxLineBytes})`,
          item.lineNumber,
          item.oversize.head,
        );
        continue;
      }
      await this.take(item.line!, item.lineNumber);
    }
  }

  private async take(line: string, lineNumber: number): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.reject(`invalid JSON at line ${lineNumber}`, undefined, line);
      return;
    }
    const outcome = parseValue(value, 'auto');
    for (const rejected of outcome.rejected) this.reject(rejected.reason, lineNumber, line);
    for (const note of outcome.notes)
      this.options.onWarning?.(`brig: --alerts ${this.path}:${lineNumber}: ${note}`);
    for (const alert of outcome.alerts) {
      // A file can wait: when the engine is behind, stop reading instead of shedding.
      while (!this.options.queue.offer(alert)) {
        if (this.closed) return;
        await this.untilClosed(this.options.queue.waitForSpace());
      }
    }
  }

  private reject(reason: string, lineNumber: number | undefined, raw: string): void {
    this.options.metrics.reject(reason);
    const where = lineNumber === undefined ? reason : `line ${lineNumber}: ${reason}`;
    this.options.record({ type: 'rejected', source: this.source, reason: where, raw: raw.slice(0, 1024) });
  }

  /** Waits for `promise` or close(), whichever comes first, leaving no waiter behind. */
  private async untilClosed(promise: Promise<void>): Promise<void> {
    let wake: (() => void) | undefined;
    const closed = new Promise<void>((resolve) => {
      wake = resolve;
      this.closeWaiters.add(resolve);
    });
    if (this.closed) wake!();
    try {
      await Promise.race([promise, closed]);
    } finally {
      this.closeWaiters.delete(wake!);
    }
  }

  private async sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await this.untilClosed(new Promise((resolve) => (timer = setTimeout(resolve, ms))));
    clearTimeout(timer);
  }
}

async function openFile(
  path: string,
): Promise<{ handle: FileHandle; ino: number; size: number } | undefined> {
  try {
    const handle = await open(path, 'r');
    const info = await handle.stat();
    return { handle, ino: info.ino, size: info.size };
  } catch {
    return undefined;
  }
}
