import type { Alert, ContainerRef } from '../domain/alert.js';
import { parseSeverity, severities } from '../domain/severity.js';
import {
  fail,
  isoTime,
  isPlainObject,
  looksLikeContainerId,
  type MapContext,
  type MapResult,
  ok,
  shown,
  tooDeep,
} from './normalize-helpers.js';

/** Brig's own format (DESIGN §4): {"rule","severity","container"?,"message"?,"source"?,"id"?,"time"?,"fields"?}. */
export function mapNative(value: unknown, context: MapContext): MapResult<Alert> {
  if (!isPlainObject(value)) return fail('not a JSON object');
  const rule = requiredText(value, 'rule');
  if (!rule.ok) return rule;
  const severity = severityOf(value.severity);
  if (!severity.ok) return severity;
  const container = containerOf(value.container);
  if (!container.ok) return container;

  let time = context.now().toISOString();
  if (value.time !== undefined && value.time !== null) {
    const given = isoTime(value.time);
    if (!given) return fail(`time ${shown(value.time)} is not an ISO 8601 date`);
    time = given;
  }
  const message = optionalText(value, 'message', '');
  if (!message.ok) return message;
  const source = optionalText(value, 'source', 'ndjson');
  if (!source.ok) return source;
  if (source.value === '') return fail('source must not be empty');

  let id = context.newId();
  if (value.id !== undefined && value.id !== null) {
    if (typeof value.id === 'number' && Number.isFinite(value.id)) id = String(value.id);
    else if (typeof value.id === 'string' && value.id !== '') id = value.id;
    else return fail(`id ${shown(value.id)} must be a non-empty string`);
  }

  const fields = value.fields ?? {};
  if (!isPlainObject(fields)) return fail('fields must be an object');
  if (tooDeep(fields)) return fail('fields nested too deeply');

  const alert: Alert = {
    id,
    time,
    source: source.value,
    rule: rule.value,
    severity: severity.value,
    message: message.value,
    fields,
  };
  if (container.value) alert.container = container.value;
  return ok(alert);
}

function requiredText(value: Record<string, unknown>, key: string): MapResult<string> {
  const text = value[key];
  if (text === undefined || text === null) return fail(`no ${key}`);
  if (typeof text !== 'string' || text.trim() === '')
    return fail(`${key} ${shown(text)} must be a non-empty string`);
  return ok(text);
}

function optionalText(value: Record<string, unknown>, key: string, fallback: string): MapResult<string> {
  const text = value[key];
  if (text === undefined || text === null) return ok(fallback);
  if (typeof text !== 'string') return fail(`${key} ${shown(text)} must be a string`);
  return ok(text);
}

function severityOf(value: unknown): MapResult<Alert['severity']> {
  if (value === undefined || value === null) return fail('no severity');
  const severity = parseSeverity(value);
  return severity ? ok(severity) : fail(`severity ${shown(value)} is not one of ${severities.join(', ')}`);
}

/** "name-or-id" or {id?, name?}; absent or null = host-level. */
function containerOf(value: unknown): MapResult<ContainerRef | undefined> {
  if (value === undefined || value === null) return ok(undefined);
  if (typeof value === 'string') {
    const ref = value.trim();
    if (ref === '') return fail('container must not be empty');
    return ok(looksLikeContainerId(ref) ? { id: ref } : { name: ref });
  }
  if (!isPlainObject(value)) return fail(`container ${shown(value)} must be a name, an id or {id, name}`);
  const ref: ContainerRef = {};
  for (const key of ['id', 'name'] as const) {
    const part = value[key];
    if (part === undefined || part === null) continue;
    if (typeof part !== 'string' || part.trim() === '')
      return fail(`container.${key} ${shown(part)} must be a non-empty string`);
    ref[key] = part.trim();
  }
  if (!ref.id && !ref.name) return fail('container has neither id nor name');
  return ok(ref);
}
