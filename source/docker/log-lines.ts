import type { LogLine, LogStream } from '../domain/log-line.js';
import { LineSplitter } from '../util/line-splitter.js';
import { LogFrameReader } from './log-demux.js';

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
 * Turns the bytes of a followed log stream into lines (frames read by LogFrameReader). A line or a
 * UTF-8 character may be split across chunks and frames; each stream has its own line buffer, since
 * frames of the two interleave mid-line. The follow always asks for timestamps, so a blank line
 * still arrives (as its stamp) and is kept with empty text.
 */
export class LogLineReader {
  private readonly splitters: Record<LogStream, LineSplitter>;
  private readonly frames: LogFrameReader;

  constructor(tty: boolean, onLine: (line: LogLine) => void) {
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
    this.frames = new LogFrameReader(tty, (stream, bytes) => this.splitters[stream].push(bytes));
  }

  push(chunk: Buffer): void {
    this.frames.push(chunk);
  }

  /** End of stream: a last line without a newline still counts. */
  end(): void {
    this.splitters.stdout.end();
    this.splitters.stderr.end();
  }
}
