import type { Alert, ContainerRef } from '../domain/alert.js';
import type { Severity } from '../domain/severity.js';
import {
  fail,
  isoTime,
  isPlainObject,
  type MapContext,
  type MapResult,
  ok,
  shown,
  tooDeep,
} from './normalize-helpers.js';

/** Falco priorities to Brig severities (DESIGN §4). */
const priorityMap = new Map<string, Severity>([
  ['emergency', 'Critical'],
  ['alert', 'Critical'],
  ['critical', 'Critical'],
  ['error', 'High'],
  ['warning', 'Medium'],
  ['notice', 'Low'],
  ['informational', 'Info'],
  ['info', 'Info'],
  ['debug', 'Info'],
]);
const priorityNames = 'Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug';

/** Falco's json_output prefixes output with "<time>: <Priority> "; the message is what follows. */
const outputPrefix = /^\S+: (?:Emergency|Alert|Critical|Error|Warning|Notice|Informational|Info|Debug) /i;

export function looksLikeFalco(value: Record<string, unknown>): boolean {
  return isPlainObject(value.output_fields) || ('priority' in value && 'rule' in value && 'output' in value);
}

/** Falco `json_output` and Falcosidekick (has `uuid`) events. */
export function mapFalco(value: unknown, context: MapContext): MapResult<Alert> {
  if (!isPlainObject(value)) return fail('not a JSON object');
  const rule = value.rule;
  if (rule === undefined || rule === null) return fail('no rule');
  if (typeof rule !== 'string' || rule.trim() === '')
    return fail(`rule ${shown(rule)} must be a non-empty string`);
  if (value.priority === undefined || value.priority === null) return fail('no priority');
  const severity =
    typeof value.priority === 'string' ? priorityMap.get(value.priority.trim().toLowerCase()) : undefined;
  if (!severity) return fail(`priority ${shown(value.priority)} is not one of ${priorityNames}`);

  const outputFields = value.output_fields ?? {};
  if (!isPlainObject(outputFields)) return fail('output_fields must be an object');
  if (tooDeep(outputFields)) return fail('output_fields nested too deeply');
  const output = value.output ?? '';
  if (typeof output !== 'string') return fail(`output ${shown(output)} must be a string`);

  const uuid = value.uuid;
  if (uuid !== undefined && uuid !== null && (typeof uuid !== 'string' || uuid === ''))
    return fail(`uuid ${shown(uuid)} must be a non-empty string`);

  const fields: Record<string, unknown> = { priority: value.priority, output_fields: outputFields };
  if (typeof value.source === 'string') fields.event_source = value.source; // syscall, syscalls, k8s_audit, …
  if (Array.isArray(value.tags) && !tooDeep(value.tags)) fields.tags = value.tags;
  if (typeof value.hostname === 'string') fields.hostname = value.hostname;

  const alert: Alert = {
    id: typeof uuid === 'string' ? uuid : context.newId(),
    time: isoTime(value.time) ?? context.now().toISOString(),
    source: typeof uuid === 'string' ? 'falcosidekick' : 'falco',
    rule,
    severity,
    message: output.replace(outputPrefix, ''),
    fields,
  };
  const container = containerOf(outputFields);
  if (container) alert.container = container;
  return ok(alert);
}

/** container.id (short id) and container.name; container.id "host" is a host event whatever the name says. */
function containerOf(outputFields: Record<string, unknown>): ContainerRef | undefined {
  const id = text(outputFields['container.id']);
  if (id === 'host') return undefined;
  const name = text(outputFields['container.name']);
  const ref: ContainerRef = {};
  if (id && id !== '<NA>') ref.id = id;
  if (name && name !== 'host' && name !== '<NA>') ref.name = name;
  return ref.id || ref.name ? ref : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
