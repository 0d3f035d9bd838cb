import { describe, expect, it } from 'vitest';
import { LogRing, lineCost } from '../../source/ui/log-ring.js';
import type { LogLine } from '../../source/domain/log-line.js';

const l = (text: string): LogLine => ({ stream: 'stdout', text });

describe('LogRing: the logs view keeps the newest lines, within a count and a byte cap', () => {
  it('keeps everything below the bounds, oldest first, each with a seq', () => {
    const ring = new LogRing(5, 1_000_000);
    ['a', 'b', 'c'].forEach((t) => ring.push(l(t)));
    expect(ring.toArray().map((x) => [x.seq, x.text])).toEqual([
      [0, 'a'],
      [1, 'b'],
      [2, 'c'],
    ]);
    expect(ring.dropped).toBe(0);
    expect(ring.received).toBe(3);
  });

  it('drops the oldest past maxLines and counts them; seqs keep counting', () => {
    const ring = new LogRing(3, 1_000_000);
    for (let i = 0; i < 10; i++) ring.push(l(`n${i}`));
    expect(ring.toArray().map((x) => [x.seq, x.text])).toEqual([
      [7, 'n7'],
      [8, 'n8'],
      [9, 'n9'],
    ]);
    expect(ring.length).toBe(3);
    expect(ring.dropped).toBe(7);
  });

  it('drops the oldest to stay within maxBytes, whatever the line count', () => {
    const line = l('x'.repeat(100));
    const cap = lineCost(line) * 4;
    const ring = new LogRing(1000, cap);
    for (let i = 0; i < 50; i++) ring.push(line);
    expect(ring.length).toBe(4);
    expect(ring.bytes).toBeLessThanOrEqual(cap);
    expect(ring.dropped).toBe(46);
    // A line bigger than the whole cap is still kept (alone): the view shows the newest line.
    ring.push(l('y'.repeat(cap)));
    expect(ring.toArray().map((x) => x.text.length)).toEqual([cap]);
  });

  it('stays within both bounds under any mix of line sizes (byte accounting never drifts)', () => {
    const ring = new LogRing(50, 20_000);
    let seed = 7;
    for (let i = 0; i < 5000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      ring.push(l('z'.repeat(seed % 700)));
      expect(ring.length).toBeLessThanOrEqual(50);
      expect(ring.bytes).toBeLessThanOrEqual(20_000);
    }
    expect(ring.bytes).toBe(ring.toArray().reduce((sum, x) => sum + lineCost(x), 0));
    expect(ring.dropped + ring.length).toBe(5000);
  });

  it('refuses a ring of no lines with the field named', () => {
    expect(() => new LogRing(0)).toThrow(/maxLines/);
  });
});
