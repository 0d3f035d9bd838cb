import { describe, expect, it } from 'vitest';
import { hardWrap, logClock, rowsOfLine, segmentsOf, windowRows } from '../../source/ui/log-rows.js';
import type { RingLine } from '../../source/ui/log-ring.js';

const ring = (seq: number, text: string, extra: Partial<RingLine> = {}): RingLine => ({
  seq,
  stream: 'stdout',
  text,
  ...extra,
});
const options = {
  textWidth: 10,
  wrap: false,
  aroundMs: undefined,
  currentSeq: undefined,
  ranges: () => [] as Array<[number, number]>,
};

describe('log rows', () => {
  it('logClock is HH:MM:SS.mmm in local time, blank without a time', () => {
    const d = new Date(2026, 11, 2, 7, 8, 9, 45);
    expect(logClock(d.getTime())).toBe('07:08:09.045');
    expect(logClock(undefined)).toBe(' '.repeat(12));
  });

  it('hardWrap cuts at the cell width, wide characters counted as two', () => {
    expect(hardWrap('abcdefghij', 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(hardWrap('short', 10)).toEqual([[0, 5]]);
    // Each 日 is two cells: two of them fill a row of 4.
    expect(hardWrap('日本語x', 4)).toEqual([
      [0, 2],
      [2, 4],
    ]);
  });

  it('segmentsOf splits a row into matched and plain pieces, ranges clipped to the row', () => {
    expect(segmentsOf('hello world', [[6, 11]])).toEqual([
      { text: 'hello ', match: false },
      { text: 'world', match: true },
    ]);
    // A match across a wrap: each row has its part.
    expect(segmentsOf('abcdefgh', [[2, 6]], 0, 4)).toEqual([
      { text: 'ab', match: false },
      { text: 'cd', match: true },
    ]);
    expect(segmentsOf('abcdefgh', [[2, 6]], 4, 8)).toEqual([
      { text: 'ef', match: true },
      { text: 'gh', match: false },
    ]);
  });

  it('marks the current match, stderr, and the lines within ±5 s of the alert', () => {
    const at = 1_000_000;
    const near = rowsOfLine(ring(3, 'x', { ms: at + 5000, stream: 'stderr' }), {
      ...options,
      aroundMs: at,
      currentSeq: 3,
    });
    expect(near[0]).toMatchObject({ current: true, nearAlert: true, stderr: true });
    const far = rowsOfLine(ring(4, 'x', { ms: at + 5001 }), { ...options, aroundMs: at });
    expect(far[0]).toMatchObject({ current: false, nearAlert: false, stderr: false });
  });

  it('windowRows fills from the bottom when following, so a wrapped last line is whole', () => {
    const lines = [ring(0, 'a'), ring(1, 'b'), ring(2, 'x'.repeat(25))];
    const rows = windowRows(lines, 0, 3, true, { ...options, wrap: true });
    expect(rows.map((r) => r.key)).toEqual(['2:0', '2:1', '2:2']);
    const fromTop = windowRows(lines, 0, 3, false, { ...options, wrap: true });
    expect(fromTop.map((r) => r.key)).toEqual(['0:0', '1:0', '2:0']);
  });
});
