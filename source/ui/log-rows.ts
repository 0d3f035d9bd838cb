import type { RingLine } from './log-ring.js';
import { cellWidth } from './format.js';

/** One piece of a row's text: highlighted when it is part of a match. */
export interface RowSegment {
  text: string;
  match: boolean;
}

/** One screen row of the logs view. */
export interface LogRow {
  key: string;
  seq: number;
  /** The gutter, in words and not colour alone: `›` the current match, `▌` within ±5 s of the alert. */
  current: boolean;
  nearAlert: boolean;
  /** HH:MM:SS.mmm local time, blank on a wrapped row's continuation and on a line without a time. */
  time: string;
  stderr: boolean;
  segments: RowSegment[];
}

/** The window marked when the view is opened from an alert: the lines this close to its time. */
export const aroundWindowMs = 5000;

/** Cells taken before the text: gutter (2) and a space, time (12) and a space, stream mark (3) and a space. */
export const rowPrefixCells = 3 + 13 + 4;

/** HH:MM:SS.mmm in the host's local time (like the panes' clock). */
export function logClock(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return ' '.repeat(12);
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** Cuts text into pieces of at most `width` cells each (hard wrap; a log line has no words to keep). */
export function hardWrap(text: string, width: number): Array<[number, number]> {
  if (width <= 0 || cellWidth(text) <= width) return [[0, text.length]];
  const out: Array<[number, number]> = [];
  let start = 0;
  let used = 0;
  let at = 0;
  for (const ch of text) {
    const w = cellWidth(ch);
    if (used + w > width && at > start) {
      out.push([start, at]);
      start = at;
      used = 0;
    }
    used += w;
    at += ch.length;
  }
  out.push([start, text.length]);
  return out;
}

/** The segments of text[from, to) given the match ranges of the whole line. */
export function segmentsOf(
  text: string,
  ranges: ReadonlyArray<readonly [number, number]>,
  from = 0,
  to = text.length,
): RowSegment[] {
  const out: RowSegment[] = [];
  let at = from;
  for (const [start, end] of ranges) {
    const s = Math.max(start, from);
    const e = Math.min(end, to);
    if (e <= s) continue;
    if (s > at) out.push({ text: text.slice(at, s), match: false });
    out.push({ text: text.slice(s, e), match: true });
    at = e;
  }
  if (at < to) out.push({ text: text.slice(at, to), match: false });
  return out;
}

export interface RowOptions {
  /** Cells for the text (the width less rowPrefixCells). */
  textWidth: number;
  wrap: boolean;
  /** Epoch ms of the alert the view was opened from. */
  aroundMs: number | undefined;
  currentSeq: number | undefined;
  ranges: (text: string) => ReadonlyArray<readonly [number, number]>;
}

/** The rows of one line: one, or several when wrapping. */
export function rowsOfLine(line: RingLine, options: RowOptions): LogRow[] {
  const ranges = options.ranges(line.text);
  const nearAlert =
    options.aroundMs !== undefined &&
    line.ms !== undefined &&
    Math.abs(line.ms - options.aroundMs) <= aroundWindowMs;
  const base = {
    seq: line.seq,
    current: line.seq === options.currentSeq,
    nearAlert,
    stderr: line.stream === 'stderr',
  };
  const pieces = options.wrap
    ? hardWrap(line.text, options.textWidth)
    : [[0, line.text.length] as [number, number]];
  return pieces.map(([from, to], i) => ({
    ...base,
    key: `${line.seq}:${i}`,
    time: i === 0 ? logClock(line.ms) : ' '.repeat(12),
    segments: segmentsOf(line.text, ranges, from, to),
  }));
}

/**
 * The rows that fill `height`: from the line at `start` down, or, when `fromBottom` (following, or
 * the window reaching the newest line), the newest rows up, so a wrapped last line is never cut off.
 */
export function windowRows(
  lines: readonly RingLine[],
  start: number,
  height: number,
  fromBottom: boolean,
  options: RowOptions,
): LogRow[] {
  const rows: LogRow[] = [];
  if (height <= 0) return rows;
  if (fromBottom) {
    for (let i = lines.length - 1; i >= 0 && rows.length < height; i--)
      rows.unshift(...rowsOfLine(lines[i]!, options));
    return rows.slice(Math.max(0, rows.length - height));
  }
  for (let i = start; i < lines.length && rows.length < height; i++)
    rows.push(...rowsOfLine(lines[i]!, options));
  return rows.slice(0, height);
}
