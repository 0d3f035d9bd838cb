import { describe, expect, it } from 'vitest';
import { LogDemuxer } from '../../../source/docker/log-demux.js';

function frame(stream: 1 | 2, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

describe('LogDemuxer: Docker multiplexed logs into stdout and stderr', () => {
  it('splits frames, whatever the chunk boundaries', () => {
    const data = Buffer.concat([frame(1, 'out one\n'), frame(2, 'err one\n'), frame(1, 'out two\n')]);
    for (let size = 1; size <= data.length; size++) {
      const d = new LogDemuxer(1024, false);
      for (let i = 0; i < data.length; i += size) d.push(data.subarray(i, i + size));
      const r = d.result();
      expect({ out: r.stdout.toString(), err: r.stderr.toString(), truncated: r.truncated }).toEqual({
        out: 'out one\nout two\n',
        err: 'err one\n',
        truncated: false,
      });
    }
  });

  it('keeps at most maxBytes of payload and says it stopped', () => {
    const d = new LogDemuxer(10, false);
    expect(d.push(frame(1, 'abcdef'))).toBe(true);
    expect(d.push(frame(2, 'ghijkl'))).toBe(false);
    const r = d.result();
    expect([r.stdout.toString(), r.stderr.toString(), r.truncated]).toEqual(['abcdef', 'ghij', true]);
  });

  it('a TTY stream is raw stdout', () => {
    const d = new LogDemuxer(100, true);
    d.push(Buffer.from('\u0001\u0000 raw'));
    expect(d.result().stdout.toString()).toBe('\u0001\u0000 raw');
  });
});
