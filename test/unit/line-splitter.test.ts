import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../source/util/line-splitter.js';

function split(chunks: (string | Buffer)[], max?: number) {
  const lines: string[] = [];
  const oversize: number[] = [];
  const s = new LineSplitter({ onLine: (l) => lines.push(l), onOversize: (_h, n) => oversize.push(n) }, max);
  chunks.forEach((c) => s.push(c));
  s.end();
  return { lines, oversize };
}

describe('LineSplitter', () => {
  it('joins a line split across chunks, even mid UTF-8 character', () => {
    const bytes = Buffer.from('{"a":"é"}\n{"b":2}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut)]).lines).toEqual(['{"a":"é"}', '{"b":2}']);
  });

  it('keeps a last line without newline, drops blank lines and CR', () => {
    expect(split(['a\r\n\n  \nb']).lines).toEqual(['a', 'b']);
  });

  it('skips an over-long line without buffering it and carries on', () => {
    const { lines, oversize } = split(['x'.repeat(50), 'y'.repeat(50), '\nok\n'], 64);
    expect(lines).toEqual(['ok']);
    expect(oversize).toEqual([100]);
  });
});
