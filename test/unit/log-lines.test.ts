import { describe, expect, it } from 'vitest';
import { LogLineReader, maxLogLineBytes, parseStampedLine } from '../../source/docker/log-lines.js';
import type { LogLine } from '../../source/domain/log-line.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function read(tty: boolean, chunks: Buffer[], end = true): LogLine[] {
  const lines: LogLine[] = [];
  const reader = new LogLineReader(tty, (l) => lines.push(l));
  for (const c of chunks) reader.push(c);
  if (end) reader.end();
  return lines;
}

const t1 = '2026-12-02T05:23:05.123456789Z';
const t2 = '2026-12-02T05:23:06.5Z';

describe('parseStampedLine: the timestamps=true prefix', () => {
  it('keeps the RFC3339Nano time as sent and its epoch ms (nanoseconds cut, not rounded)', () => {
    expect(parseStampedLine(`${t1} hello world`, 'stdout')).toEqual({
      time: t1,
      ms: Date.UTC(2026, 11, 2, 5, 23, 5, 123),
      stream: 'stdout',
      text: 'hello world',
    });
  });

  it('reads an offset zone (Podman) and an empty line after the stamp', () => {
    const line = parseStampedLine('2026-12-02T06:23:05.000000001+01:00 ', 'stderr');
    expect(line).toEqual({
      time: '2026-12-02T06:23:05.000000001+01:00',
      ms: Date.UTC(2026, 11, 2, 5, 23, 5, 0),
      stream: 'stderr',
      text: '',
    });
  });

  it('a line without a stamp keeps all its text and has no time', () => {
    expect(parseStampedLine('no stamp here', 'stdout')).toEqual({ stream: 'stdout', text: 'no stamp here' });
    expect(parseStampedLine('2026-13-45T99:99:99Z x', 'stdout')).toEqual({
      stream: 'stdout',
      text: '2026-13-45T99:99:99Z x',
    });
  });
});

describe('LogLineReader: frames and lines across chunk boundaries', () => {
  const stream = Buffer.concat([
    frame(1, `${t1} out one\n${t1} out two\n`),
    frame(2, `${t2} err `),
    frame(1, `${t2} partial `),
    frame(2, `continues\n`),
    frame(1, `rest\n`),
  ]);
  const expected = [
    ['stdout', 'out one'],
    ['stdout', 'out two'],
    ['stderr', 'err continues'],
    ['stdout', 'partial rest'],
  ];

  it('demultiplexes the 8-byte frames; each stream has its own unfinished line', () => {
    expect(read(false, [stream]).map((l) => [l.stream, l.text])).toEqual(expected);
  });

  it('gives the same lines whatever the chunking: split at every byte, inside headers too', () => {
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(read(false, bytes).map((l) => [l.stream, l.text])).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut += 7) {
      const parts = [stream.subarray(0, cut), stream.subarray(cut)];
      expect(read(false, parts).map((l) => [l.stream, l.text])).toEqual(expected);
    }
  });

  it('keeps a UTF-8 character split across frames whole', () => {
    const text = Buffer.from(`${t1} héllo ✓\n`);
    const at = text.indexOf(0xe2) + 1; // inside the three bytes of ✓
    const lines = read(false, [
      Buffer.concat([frame(1, ''), Buffer.alloc(0)]),
      (() => {
        const h = Buffer.alloc(8);
        h[0] = 1;
        h.writeUInt32BE(text.length, 4);
        return Buffer.concat([h, text.subarray(0, at)]);
      })(),
      text.subarray(at),
    ]);
    expect(lines.map((l) => l.text)).toEqual(['héllo ✓']);
  });

  it('reads a TTY stream raw: CRLF line ends, everything stdout', () => {
    const lines = read(true, [Buffer.from(`${t1} a\r\n${t2} b`), Buffer.from(`c\r\n`)]);
    expect(lines.map((l) => [l.stream, l.text, l.time])).toEqual([
      ['stdout', 'a', t1],
      ['stdout', 'bc', t2],
    ]);
  });

  it('holds an unfinished line until the end of the stream, then gives it', () => {
    const chunks = [frame(1, `${t1} done\n${t2} no newline`)];
    expect(read(false, chunks, false).map((l) => l.text)).toEqual(['done']);
    expect(read(false, chunks, true).map((l) => l.text)).toEqual(['done', 'no newline']);
  });

  it('cuts a line longer than the cap and says how long it was: memory stays bounded', () => {
    const long = 'x'.repeat(maxLogLineBytes * 3);
    const lines = read(false, [frame(1, `${t1} ${long}\n${t1} after\n`)]);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.text.length).toBeLessThan(2048);
    expect(lines[0]!.text).toMatch(/… \(line of \d+ bytes cut\)$/);
    expect(lines[0]!.time).toBe(t1);
    expect(lines[1]!.text).toBe('after');
  });
});
