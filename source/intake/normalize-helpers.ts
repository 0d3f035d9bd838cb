import { randomUUID } from 'node:crypto';
import type { Alert } from '../domain/alert.js';
import { containerIdRefPattern } from '../domain/container.js';
import type { SeverityWords } from '../domain/severity.js';
import type { IntakeEvent } from './intake-event.js';

/** What every format mapper needs from outside: a clock and an id source (both injectable for tests). */
export interface MapContext {
  now: () => Date;
  newId: () => string;
  /** Alertmanager severity words (default table plus `[intake] severity_words`). */
  severityWords?: SeverityWords;
}

export const defaultMapContext: MapContext = { now: () => new Date(), newId: () => randomUUID() };

/** A mapper's answer for one input item: the alert, or why it was refused. */
export type MapResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export const ok = <T>(value: T): MapResult<T> => ({ ok: true, value });
export const fail = (reason: string): MapResult<never> => ({ ok: false, reason });

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Raw input as journaled: the first 1 KiB (DESIGN §7). Never throws, whatever the value. */
export function rawText(value: unknown, maxChars = 1024): string {
  if (typeof value === 'string') return value.slice(0, maxChars);
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, maxChars);
  } catch {
    return String(Object.prototype.toString.call(value)).slice(0, maxChars);
  }
}

/** A short, quoted rendering of a bad value for an error message. */
export function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : rawText(value, 61);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** ISO 8601 from a date string or epoch ms; undefined when it is not a date. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  const date = new Date(value);
  const ms = date.getTime();
  // Alertmanager's zero time "0001-01-01T00:00:00Z" parses but means "unset".
  if (Number.isNaN(ms) || date.getUTCFullYear() < 1970) return undefined;
  return date.toISOString();
}

/** Nesting deeper than this is refused: the journal and the UI must be able to serialize every alert. */
export const maxFieldDepth = 32;

export function tooDeep(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth >= maxFieldDepth) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (tooDeep(child, depth + 1)) return true;
  }
  return false;
}

/** A Docker container id (full or a prefix of at least 12 hex digits), as references use it. */
export function looksLikeContainerId(value: string): boolean {
  return containerIdRefPattern.test(value);
}

/** Where a mapper that expands one value into several items (Alertmanager groups) reports each one. */
export interface ItemSink {
  accept(alert: Alert): void;
  reject(reason: string, raw: unknown): void;
  /** A resolved Alertmanager entry: counted, not an alert. */
  ignore(): void;
  note(text: string): void;
  /** Resolved entries, truncated groups, unknown severity words: journaled and counted by the caller. */
  event(event: IntakeEvent): void;
}
