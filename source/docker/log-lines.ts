import type { LogLine, LogStream } from '../domain/log-line.js';
import { LineSplitter } from '../util/line-splitter.js';

/** A line longer than this is cut (its head kept, the length said): a view never holds megabytes per line. */
export const maxLogLineBytes = 16 * 1024;

// RFC3339Nano as Docker writes it (Z), or with an offset as Podman may.
const stampPattern = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?/;

/** Splits `timestamps=true` output into its time and text; a line without a stamp keeps all its text. */
export function parseStampedLine(raw: string, stream: LogStream): LogLine {
  const match = stampPattern.exec(raw);
  if (!match) return { stream, text: raw };
  const time = match[1]!;
  // Date.parse wants at most milliseconds: cut nanoseconds, keep the zone.
  const ms = Date.parse(time.replace(/(\.\d{3})\d+/, '$1'));
  const text = raw.slice(match[0].length);
  return Number.isFinite(ms) ? { time, ms, stream, text } : { stream, text: raw };
}

/**
 * Turns the bytes of a followed log stream into lines: Docker's multiplexed frames (8-byte header:
 * stream 1 stdout, 2 stderr, big-endian uint32 length), or with a TTY the raw stream (all stdout). A
 * frame header, a payload, a line or a UTF-8 character may each be split across chunks; each stream
 * has its own line buffer, since frames of the two interleave mid-line. The follow always asks for
 * timestamps, so a blank line still arrives (as its stamp) and is kept with empty text.
 */
export class LogLineReader {
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private stream: LogStream = 'stdout';
  private readonly splitters: Record<LogStream, LineSplitter>;

  constructor(
    private readonly tty: boolean,
    onLine: (line: LogLine) => void,
  ) {
    const splitter = (stream: LogStream) =>
      new LineSplitter(
        {
          onLine: (raw) => onLine(parseStampedLine(raw, stream)),
          onOversize: (head, length) => {
            const line = parseStampedLine(head, stream);
            onLine({ ...line, text: `${line.text}… (line of ${length} bytes cut)` });
          },
        },
        maxLogLineBytes,
      );
    this.splitters = { stdout: splitter('stdout'), stderr: splitter('stderr') };
  }

  push(chunk: Buffer): void {
    if (this.tty) {
      this.splitters.stdout.push(chunk);
      return;
    }
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (data.length > 0) {
      if (this.remaining === 0) {
        if (data.length < 8) {
          this.pending = Buffer.from(data);
          return;
        }
        this.stream = data[0] === 2 ? 'stderr' : 'stdout';
        this.remaining = data.readUInt32BE(4);
        data = data.subarray(8);
        continue;
      }
      const take = Math.min(this.remaining, data.length);
      this.splitters[this.stream].push(data.subarray(0, take));
      this.remaining -= take;
      data = data.subarray(take);
    }
  }

  /** End of stream: a last line without a newline still counts. */
  end(): void {
    this.splitters.stdout.end();
    this.splitters.stderr.end();
  }
}
