import type { Alert } from '../domain/alert.js';
import { looksLikeAlertmanager, mapAlertmanager } from './alertmanager.js';
import { overLimit } from './alert-limits.js';
import { looksLikeFalco, mapFalco } from './falco.js';
import type { IntakeEvent } from './intake-event.js';
import { mapNative } from './native.js';
import {
  defaultMapContext,
  isPlainObject,
  type ItemSink,
  type MapContext,
  rawText,
} from './normalize-helpers.js';

export type IntakeFormat = 'auto' | 'native' | 'falco' | 'alertmanager';
export const intakeFormats: readonly IntakeFormat[] = ['auto', 'native', 'falco', 'alertmanager'];

/** One input item that did not become an alert. `index` counts items (array elements, NDJSON lines, Alertmanager entries) from 0. */
export interface Rejected {
  index: number;
  /** 1-based line of the payload, for NDJSON. */
  line?: number;
  reason: string;
  /** The item's raw text, first 1 KiB (DESIGN §7). */
  raw: string;
}

export interface ParseOutcome {
  alerts: Alert[];
  rejected: Rejected[];
  /** Resolved Alertmanager entries: counted, not alerts. */
  ignored: number;
  /** Things worth telling the operator that are not rejections, e.g. Alertmanager's truncatedAlerts. */
  notes: string[];
  /** To journal: resolved entries, truncated groups, unknown severity words (intake-event.ts). */
  events: IntakeEvent[];
  /** True when not one JSON value could be read from the payload (HTTP answers 400). */
  unparseable: boolean;
}

export interface ParseOptions {
  now?: () => Date;
  newId?: () => string;
  severityWords?: MapContext['severityWords'];
}

/**
 * A payload as it arrives: one JSON value, a JSON array, or NDJSON (one value per line). Never throws:
 * every input item ends up accepted, rejected with a reason, or ignored (resolved Alertmanager entries).
 */
export function parsePayload(text: string, format: IntakeFormat, options: ParseOptions = {}): ParseOutcome {
  const collector = new Collector(format, { ...defaultMapContext, ...options });
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM is not an error
  if (body.trim() === '') {
    collector.rejectAt('empty payload', '');
    collector.outcome.unparseable = true;
    return collector.outcome;
  }
  let whole: unknown;
  let wholeOk = false;
  try {
    whole = JSON.parse(body);
    wholeOk = true;
  } catch (error) {
    if (looksLikeOneDocument(body)) {
      const position = /at position (\d+)/.exec(errorText(error));
      if (position) collector.line = lineAt(body, Number(position[1]));
      collector.rejectAt(
        collector.line ? `invalid JSON at line ${collector.line}` : `invalid JSON: ${errorText(error)}`,
        body,
      );
      collector.outcome.unparseable = true;
      return collector.outcome;
    }
  }
  if (wholeOk) {
    collector.value(whole);
    return collector.outcome;
  }
  let parsedAny = false;
  let lineNumber = 0;
  for (const line of body.split('\n')) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    collector.line = lineNumber;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      collector.rejectAt(`invalid JSON at line ${lineNumber}`, line);
      continue;
    }
    parsedAny = true;
    collector.value(value, line);
  }
  collector.outcome.unparseable = !parsedAny;
  return collector.outcome;
}

/** One already-parsed JSON value (an object, or an array of them). */
export function parseValue(value: unknown, format: IntakeFormat, options: ParseOptions = {}): ParseOutcome {
  const collector = new Collector(format, { ...defaultMapContext, ...options });
  collector.value(value);
  return collector.outcome;
}

/** A payload whose first line opens a multi-line document (pretty-printed JSON), rather than NDJSON. */
function looksLikeOneDocument(body: string): boolean {
  if (!body.trim().includes('\n')) return false;
  const firstLine = body.trimStart().split('\n', 1)[0]!.trim();
  try {
    JSON.parse(firstLine);
    return false;
  } catch {
    return /^[[{]/.test(firstLine) && !/[}\]]\s*$/.test(firstLine);
  }
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < position; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 120 ? `${message.slice(0, 117)}...` : message;
}

class Collector implements ItemSink {
  readonly outcome: ParseOutcome = {
    alerts: [],
    rejected: [],
    ignored: 0,
    notes: [],
    events: [],
    unparseable: false,
  };
  line: number | undefined;
  private index = 0;
  /** The NDJSON line being read and its value: a rejected line is journaled as the sender wrote it. */
  private lineText: string | undefined;
  private lineValue: unknown;
  /** The input item being mapped (for Alertmanager, the whole webhook): the raw text of a refusal. */
  private current: unknown;

  constructor(
    private readonly format: IntakeFormat,
    private readonly context: MapContext,
  ) {}

  value(value: unknown, lineText?: string): void {
    this.lineText = lineText;
    this.lineValue = value;
    if (Array.isArray(value)) for (const item of value) this.item(item);
    else this.item(value);
  }

  accept(alert: Alert): void {
    // Every format's alert passes the same size limits, so no mapper can forget one.
    const tooLarge = overLimit(alert);
    if (tooLarge) return this.reject(tooLarge, this.current);
    this.outcome.alerts.push(alert);
    this.index += 1;
  }

  reject(reason: string, raw: unknown): void {
    this.rejectAt(
      reason,
      this.lineText !== undefined && raw === this.lineValue ? this.lineText : rawText(raw),
    );
  }

  rejectAt(reason: string, raw: string): void {
    const rejected: Rejected = { index: this.index, reason, raw: raw.slice(0, 1024) };
    if (this.line !== undefined) rejected.line = this.line;
    this.outcome.rejected.push(rejected);
    this.index += 1;
  }

  ignore(): void {
    this.outcome.ignored += 1;
    this.index += 1;
  }

  note(text: string): void {
    this.outcome.notes.push(text);
  }

  event(event: IntakeEvent): void {
    this.outcome.events.push(event);
  }

  private item(value: unknown): void {
    this.current = value;
    const format = this.format === 'auto' ? detect(value) : this.format;
    if (format === 'alertmanager') return mapAlertmanager(value, this.context, this);
    const result = format === 'falco' ? mapFalco(value, this.context) : mapNative(value, this.context);
    if (result.ok) this.accept(result.value);
    else this.reject(result.reason, value);
  }
}

function detect(value: unknown): Exclude<IntakeFormat, 'auto'> {
  if (!isPlainObject(value)) return 'native';
  if (looksLikeAlertmanager(value)) return 'alertmanager';
  if (looksLikeFalco(value)) return 'falco';
  return 'native';
}
