import type { LogStream } from '../domain/log-line.js';
import type { LogsResult } from './docker-port.js';

/**
 * Docker's multiplexed log stream (8-byte frame header: stream 1 = stdout, 2 = stderr, then a
 * big-endian uint32 length), handed on as payload pieces with their stream. A header or payload
 * split across chunks is carried over. With a TTY the stream is raw stdout.
 */
export class LogFrameReader {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current frame's payload still to come, and its stream. */
  private remaining = 0;
  private stream: LogStream = 'stdout';

  constructor(
    private readonly tty: boolean,
    private readonly onPayload: (stream: LogStream, bytes: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.tty) {
      this.onPayload('stdout', chunk);
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
        // Stream 0 (stdin) never appears in logs; anything but 2 is kept as stdout.
        this.stream = data[0] === 2 ? 'stderr' : 'stdout';
        this.remaining = data.readUInt32BE(4);
        data = data.subarray(8);
        continue;
      }
      const take = Math.min(this.remaining, data.length);
      this.onPayload(this.stream, data.subarray(0, take));
      this.remaining -= take;
      data = data.subarray(take);
    }
  }
}

/** Splits a container's log into its two streams, keeping at most `maxBytes` of payload in all. */
export class LogDemuxer {
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private kept = 0;
  private truncated = false;
  private readonly frames: LogFrameReader;

  constructor(
    private readonly maxBytes: number,
    tty: boolean,
  ) {
    this.frames = new LogFrameReader(tty, (stream, bytes) => this.keep(stream, bytes));
  }

  /** Takes a chunk; false once the limit is reached (stop reading). */
  push(chunk: Buffer): boolean {
    if (this.truncated) return false;
    this.frames.push(chunk);
    return !this.truncated;
  }

  private keep(stream: LogStream, bytes: Buffer): void {
    if (this.truncated) return;
    const room = this.maxBytes - this.kept;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    if (part.length < bytes.length) this.truncated = true;
    if (part.length === 0) return;
    (stream === 'stderr' ? this.err : this.out).push(Buffer.from(part));
    this.kept += part.length;
  }

  result(): LogsResult {
    return { stdout: Buffer.concat(this.out), stderr: Buffer.concat(this.err), truncated: this.truncated };
  }
}
