import type { ContainerView } from '../domain/snapshot.js';
import type { ActionSpec } from '../domain/action.js';

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

/** Fits text to exactly `width` cells, with an ellipsis when cut (ASCII-safe, one cell per char). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const chars = [...text];
  if (chars.length > width) return width === 1 ? '…' : chars.slice(0, width - 1).join('') + '…';
  const pad = ' '.repeat(width - chars.length);
  return align === 'right' ? pad + text : text + pad;
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

/** A sparkline of the last `width` values, scaled to their maximum. */
export function sparkline(values: readonly number[], width: number): string {
  const tail = values.slice(-Math.max(0, width));
  if (tail.length === 0) return '';
  const max = Math.max(...tail);
  return tail
    .map((v) => (max <= 0 ? sparkChars[0] : sparkChars[Math.min(7, Math.max(0, Math.round((v / max) * 7)))]))
    .join('');
}

export function secondsLeft(deadline: number, now: number): number {
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
