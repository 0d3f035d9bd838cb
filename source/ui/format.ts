import stringWidth from 'string-width';
import type { ActionSpec } from '../domain/action.js';
import type { Severity } from '../domain/severity.js';
import type { ContainerView } from '../domain/snapshot.js';

/** HH:MM:SS in the host's local time: what the operator's wall clock says. */
export function clockTime(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function bytes(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let n = value;
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit += 1;
  }
  return `${n >= 10 || unit === 0 ? Math.round(n) : n.toFixed(1)}${units[unit]}`;
}

export function percent(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)}%`;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

const ascii = /^[\x20-\x7e]*$/;

/** Terminal cells a text takes: CJK and emoji are two, combining marks none (string-width). */
export function cellWidth(text: string): number {
  // Most of what a pane shows is ASCII: one cell a character, without segmenting graphemes.
  return ascii.test(text) ? text.length : stringWidth(text);
}

/** The longest head of `text` that takes at most `width` cells. */
function headCells(text: string, width: number): string {
  if (ascii.test(text)) return text.slice(0, width);
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const w = stringWidth(segment);
    if (used + w > width) break;
    out += segment;
    used += w;
  }
  return out;
}

/** The longest tail of `text` that takes at most `width` cells. */
function tailCells(text: string, width: number): string {
  if (ascii.test(text)) return width <= 0 ? '' : text.slice(-width);
  const segments = [...segmenter.segment(text)].map((s) => s.segment);
  let out = '';
  let used = 0;
  for (let i = segments.length - 1; i >= 0; i -= 1) {
    const w = stringWidth(segments[i]!);
    if (used + w > width) break;
    out = segments[i]! + out;
    used += w;
  }
  return out;
}

const segmenter = new Intl.Segmenter();

/**
 * Fits text to exactly `width` terminal cells, with an ellipsis where it is cut: at the end, or in the
 * middle (`cut: 'middle'`) for names, whose distinguishing part is often the tail (…-victim, …-7f3a).
 */
export function fit(
  text: string,
  width: number,
  align: 'left' | 'right' = 'left',
  cut: 'end' | 'middle' = 'end',
): string {
  if (width <= 0) return '';
  const cells = cellWidth(text);
  if (cells > width) {
    if (width === 1) return '…';
    let cutText: string;
    if (cut === 'middle' && width >= 5) {
      const tail = Math.floor((width - 1) / 2);
      cutText = headCells(text, width - 1 - tail) + '…' + tailCells(text, tail);
    } else cutText = headCells(text, width - 1) + '…';
    // A wide character that did not fit leaves one cell: pad it, so columns stay aligned.
    return cutText + ' '.repeat(Math.max(0, width - cellWidth(cutText)));
  }
  const pad = ' '.repeat(width - cells);
  return align === 'right' ? pad + text : text + pad;
}

/**
 * The prefix every one of `names` shares, up to and including its last separator (brig-demo-web,
 * brig-demo-api → "brig-demo-"): cut it when the names do not fit and the rest still tells them apart.
 */
export function commonPrefix(names: readonly string[]): string {
  if (names.length < 2) return '';
  let prefix = names[0]!;
  for (const name of names) {
    let i = 0;
    while (i < prefix.length && i < name.length && prefix[i] === name[i]) i += 1;
    prefix = prefix.slice(0, i);
    if (!prefix) return '';
  }
  const end = Math.max(
    prefix.lastIndexOf('-'),
    prefix.lastIndexOf('_'),
    prefix.lastIndexOf('.'),
    prefix.lastIndexOf('/'),
  );
  prefix = end >= 0 ? prefix.slice(0, end + 1) : '';
  // Never cut a whole name away.
  return names.some((n) => n.length <= prefix.length) ? '' : prefix;
}

/** Splits text into lines of at most `width` cells, at spaces where it can (long detail lines). */
export function wrapCells(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (cellWidth(text) <= width) return [text];
  const lines: string[] = [];
  let rest = text;
  while (cellWidth(rest) > width) {
    const head = headCells(rest, width);
    const space = head.lastIndexOf(' ');
    // Break at a space in the second half of the line, else hard at the width.
    const at = space > width / 2 ? space : head.length;
    lines.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).replace(/^ +/, '');
    if (!rest) break;
  }
  if (rest) lines.push(rest);
  return lines;
}

/**
 * The top border of a box with its title in it, exactly `inner + 2` cells: ┏━ Title ━━━┓. A title
 * too long for the box is cut with an ellipsis, and the closing corner is always there.
 */
export function topLine(corner: string, line: string, end: string, title: string, inner: number): string {
  if (inner <= 1) return corner + line.repeat(Math.max(0, inner)) + end;
  const room = inner - 1;
  const shown = cellWidth(title) > room ? fit(title.trimEnd(), room - 1) + ' ' : title;
  return corner + line + shown + line.repeat(Math.max(0, room - cellWidth(shown))) + end;
}

const severityWords: Record<Severity, string> = {
  Info: 'INFO',
  Low: 'LOW',
  Medium: 'MED',
  High: 'HIGH',
  Critical: 'CRIT',
};

/** Severity in four cells, as a word a person reads (not "MEDI"). */
export function severityWord(severity: Severity): string {
  return severityWords[severity] ?? String(severity).toUpperCase().slice(0, 4);
}

/** A duration for a column: 84ms, 31.5s, 2m05s. */
export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const secs = Math.round(ms / 1000);
  return `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s`;
}

/**
 * The words of the state column (DESIGN §10: state is never shown by colour alone). What Brig did
 * comes first (PAUSED, ISOLATED, THROTTLED…), then STALE, then the engine's own state.
 */
export function containerStateWords(container: ContainerView): string {
  const words = [...(container.isolation?.labels ?? [])].map((w) => w.toUpperCase());
  if (container.state === 'paused' && !words.includes('PAUSED')) words.push('PAUSED');
  if (container.stale) words.push('STALE');
  if (words.length === 0 || container.stale) words.push(container.state);
  return words.join(' ');
}

export function actionSpecName(action: ActionSpec | null | undefined): string {
  if (!action) return '—';
  return action.kind;
}

/** A one-line description of an action spec with its parameters. */
export function describeAction(action: ActionSpec | null | undefined): string {
  if (!action) return 'no action';
  switch (action.kind) {
    case 'stop':
    case 'restart':
      return `${action.kind} (timeout ${action.timeoutSecs}s)`;
    case 'kill':
      return `kill (${action.signal})`;
    case 'network-disconnect':
      return `network-disconnect (${action.networks.length === 0 ? 'every network' : action.networks.join(', ')})`;
    case 'quarantine':
      return `quarantine (network ${action.network})`;
    case 'throttle': {
      const parts = [
        action.cpus !== undefined ? `cpus ${action.cpus}` : undefined,
        action.pidsLimit !== undefined ? `pids ${action.pidsLimit}` : undefined,
        action.memory !== undefined ? `memory ${bytes(action.memory)}` : undefined,
      ].filter(Boolean);
      return `throttle (${parts.join(', ') || 'no limits'})`;
    }
    default:
      return action.kind;
  }
}

const sparkChars = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of the last `width` values, scaled from zero to their maximum; a series that never
 * changes is drawn at mid height (a constant 2 pids is not "full"), zeros at the bottom.
 */
export function sparkline(values: readonly number[], width: number): string {
  const tail = values.slice(-Math.max(0, width));
  if (tail.length === 0) return '';
  const max = Math.max(...tail);
  const min = Math.min(...tail);
  if (max <= 0) return sparkChars[0]!.repeat(tail.length);
  if (max === min) return sparkChars[3]!.repeat(tail.length);
  return tail.map((v) => sparkChars[Math.min(7, Math.max(0, Math.round((v / max) * 7)))]).join('');
}

export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
