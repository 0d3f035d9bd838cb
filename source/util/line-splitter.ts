import { StringDecoder } from 'node:string_decoder';

export interface LineSplitterHandlers {
  /** `lineNumber` is 1-based and counts blank lines too, for messages that name file:line. */
  onLine(line: string, lineNumber: number): void;
  /** A line longer than the cap: its first bytes are kept for the record, the rest is discarded as it streams. */
  onOversize?(head: string, length: number, lineNumber: number): void;
}

/**
 * Splits a byte stream into lines. A chunk may end mid-line (and mid UTF-8 character); memory stays
 * bounded by `maxLineBytes`: an over-long line is skipped as it streams, never buffered whole.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private buffer = '';
  private oversize: { head: string; length: number } | undefined;
  /** The line being read (1-based). */
  private lineNumber = 1;

  constructor(
    private readonly handlers: LineSplitterHandlers,
    private readonly maxLineBytes = 1024 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    while (text.length > 0) {
      const nl = text.indexOf('\n');
      if (this.oversize) {
        if (nl === -1) {
          this.oversize.length += text.length;
          return;
        }
        this.oversize.length += nl;
        this.handlers.onOversize?.(this.oversize.head, this.oversize.length, this.lineNumber);
        this.oversize = undefined;
        this.lineNumber += 1;
        text = text.slice(nl + 1);
        continue;
      }
      if (nl === -1) {
        this.buffer += text;
        if (this.buffer.length > this.maxLineBytes) {
          this.oversize = { head: this.buffer.slice(0, 1024), length: this.buffer.length };
          this.buffer = '';
        }
        return;
      }
      const line = this.buffer + text.slice(0, nl);
      this.buffer = '';
      text = text.slice(nl + 1);
      if (line.length > this.maxLineBytes)
        this.handlers.onOversize?.(line.slice(0, 1024), line.length, this.lineNumber);
      else this.emit(line);
      this.lineNumber += 1;
    }
  }

  /** End of stream: a last line without a newline still counts. */
  end(): void {
    const rest = this.buffer + this.decoder.end();
    this.buffer = '';
    if (this.oversize) {
      this.handlers.onOversize?.(this.oversize.head, this.oversize.length + rest.length, this.lineNumber);
      this.oversize = undefined;
    } else if (rest.length > 0) this.emit(rest);
  }

  private emit(line: string): void {
    const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (trimmed.trim().length > 0) this.handlers.onLine(trimmed, this.lineNumber);
  }

  /** Characters held for the current, unfinished line: never much more than the cap. */
  get bufferedLength(): number {
    return this.buffer.length;
  }
}
