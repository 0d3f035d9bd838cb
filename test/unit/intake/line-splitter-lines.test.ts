import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../../source/util/line-splitter.js';

// The additive LineSplitter features the --alerts follower relies on: line numbers that count
// blank and over-long lines, and the length held for an unfinished line.
describe('LineSplitter line numbers and buffered length', () => {
  it('numbers lines from 1, counting blank and over-long lines, across chunks', () => {
    const seen: [string, number][] = [];
    const oversize: number[] = [];
    const s = new LineSplitter(
      { onLine: (l, n) => seen.push([l, n]), onOversize: (_h, _len, n) => oversize.push(n) },
      8,
    );
    for (const chunk of ['a\n\n', 'b\r\n', 'xxxxxxxx', 'xxxx\nc\n', '  \nd']) s.push(chunk);
    s.end();
    expect(seen).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 5],
      ['d', 7],
    ]);
    expect(oversize).toEqual([4]);
  });

  it('holds at most the cap plus one chunk for an unfinished line', () => {
    const s = new LineSplitter({ onLine: () => undefined }, 100);
    let peak = 0;
    for (let i = 0; i < 1000; i++) {
      s.push('y'.repeat(30));
      peak = Math.max(peak, s.bufferedLength);
    }
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(130);
  });
});
