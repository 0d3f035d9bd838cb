import { createHash } from 'node:crypto';
import type { Alert, ContainerRef } from '../domain/alert.js';
import { defaultSeverityWords, foldWord } from '../domain/severity.js';
import type { IntakeEvent } from './intake-event.js';
import {
  isoTime,
  isPlainObject,
  type ItemSink,
  looksLikeContainerId,
  type MapContext,
  shown,
  tooDeep,
} from './normalize-helpers.js';
import { containerIdRefText } from '../domain/container.js';

export function looksLikeAlertmanager(value: Record<string, unknown>): boolean {
  return Array.isArray(value.alerts) && 'version' in value;
}

/**
 * One Alertmanager webhook (v4): one alert per firing entry. A resolved entry is no alert: it is
 * reported as a `resolved` event (journaled, counted; the identity its firing had) and counted in
 * the 202 body as ignored. `truncatedAlerts` and unknown severity words are events too.
 */
export function mapAlertmanager(value: unknown, context: MapContext, sink: ItemSink): void {
  if (!isPlainObject(value)) return sink.reject('not a JSON object', value);
  if (!Array.isArray(value.alerts)) return sink.reject('not an Alertmanager webhook: no alerts[]', value);
  if (value.version !== undefined && String(value.version) !== '4')
    sink.note(`Alertmanager webhook version ${shown(value.version)} (Brig reads version 4)`);
  if (typeof value.truncatedAlerts === 'number' && value.truncatedAlerts > 0) {
    sink.note(`Alertmanager truncated ${value.truncatedAlerts} alerts from this group (max_alerts)`);
    sink.event({
      kind: 'truncated',
      source,
      count: Math.floor(value.truncatedAlerts),
      ...(typeof value.receiver === 'string' ? { receiver: value.receiver.slice(0, 256) } : {}),
      ...(typeof value.groupKey === 'string' ? { groupKey: value.groupKey.slice(0, 1024) } : {}),
    });
  }
  for (const entry of value.alerts) {
    const status = isPlainObject(entry) ? (entry.status ?? value.status ?? 'firing') : undefined;
    if (status === 'resolved' && isPlainObject(entry)) {
      const resolved = resolvedEvent(entry);
      if (resolved) sink.event(resolved);
      sink.ignore();
      continue;
    }
    const result = mapEntry(entry, status, value, context);
    if (!result.ok) {
      sink.reject(result.reason, entry);
      continue;
    }
    sink.accept(result.value);
    if (result.unknownWord !== undefined)
      sink.event({
        kind: 'unknown-severity',
        source,
        word: result.unknownWord.slice(0, 64),
        alert: result.value.id,
        rule: result.value.rule,
      });
  }
}

const source = 'alertmanager';

/** The identity the entry's firing had: the firing's id is fingerprint@startsAt, so is this. */
function resolvedEvent(entry: Record<string, unknown>): IntakeEvent | undefined {
  const labels = isPlainObject(entry.labels) ? entry.labels : undefined;
  const startsAt = isoTime(entry.startsAt);
  if (!labels || !startsAt) return undefined; // no identity: nothing it could have resolved
  const alert = `${fingerprintOf(entry, labels)}@${startsAt}`;
  const event: IntakeEvent = { kind: 'resolved', source, alert, startsAt };
  if (typeof labels.alertname === 'string') event.rule = labels.alertname;
  const endsAt = isoTime(entry.endsAt);
  if (endsAt) event.endsAt = endsAt;
  const container = containerOf(labels);
  if (container) event.container = container;
  return event;
}

function fingerprintOf(entry: Record<string, unknown>, labels: Record<string, unknown>): string {
  return typeof entry.fingerprint === 'string' && entry.fingerprint !== ''
    ? entry.fingerprint
    : labelHash(labels);
}

type EntryResult =
  { ok: true; value: Alert; unknownWord: string | undefined } | { ok: false; reason: string };

function mapEntry(
  entry: unknown,
  status: unknown,
  group: Record<string, unknown>,
  context: MapContext,
): EntryResult {
  const fail = (reason: string) => ({ ok: false as const, reason });
  if (!isPlainObject(entry)) return fail('alerts[] entry is not a JSON object');
  if (status !== 'firing') return fail(`status ${shown(status)} is not firing or resolved`);
  const labels = entry.labels;
  if (!isPlainObject(labels)) return fail('no labels');
  const rule = labels.alertname;
  if (rule === undefined || rule === null) return fail('no labels.alertname');
  if (typeof rule !== 'string' || rule.trim() === '')
    return fail(`labels.alertname ${shown(rule)} must be a non-empty string`);
  const annotations = isPlainObject(entry.annotations) ? entry.annotations : {};
  if (tooDeep(labels) || tooDeep(annotations)) return fail('labels or annotations nested too deeply');

  // No severity label is Info by design; a word the table does not know is Info and reported.
  const word = typeof labels.severity === 'string' ? foldWord(labels.severity) : '';
  const known = word === '' ? 'Info' : (context.severityWords ?? defaultSeverityWords).get(word);
  const severity = known ?? 'Info';
  const startsAt = isoTime(entry.startsAt);
  const fingerprint = fingerprintOf(entry, labels);
  // Same fingerprint + startsAt = the same firing, re-sent every repeat_interval: a duplicate by design.
  const id = startsAt ? `${fingerprint}@${startsAt}` : context.newId();
  const message = firstText(annotations.summary, annotations.description, annotations.message) ?? rule;

  const fields: Record<string, unknown> = { labels, annotations };
  for (const key of ['startsAt', 'generatorURL', 'fingerprint'] as const)
    if (entry[key] !== undefined) fields[key] = entry[key];
  if (typeof group.receiver === 'string') fields.receiver = group.receiver;

  const alert: Alert = {
    id,
    time: startsAt ?? context.now().toISOString(),
    source: 'alertmanager',
    rule,
    severity,
    message,
    fields,
  };
  // An id is authoritative (README "What Brig guarantees"): a container_id that is not one is refused,
  // never dropped in favour of the name. cAdvisor's `id` label is a cgroup path and may name none.
  const given = labels.container_id;
  if (typeof given === 'string' && given.trim() !== '' && !containerIdFrom(given))
    return fail(
      `labels.container_id ${shown(given)} is not a container id (12 to 64 hex digits, docker://<id>, or a cgroup path ending in one)`,
    );
  const container = containerOf(labels);
  if (container) alert.container = container;
  return { ok: true as const, value: alert, unknownWord: known ? undefined : word };
}

/**
 * Labels container_id | id | container | container_name | name (DESIGN §4). `id` from cAdvisor is a
 * cgroup path: /docker/<id> (cgroupfs) or /system.slice/docker-<id>.scope (systemd); "/" and other
 * non-container cgroups name no container.
 */
function containerOf(labels: Record<string, unknown>): ContainerRef | undefined {
  const ref: ContainerRef = {};
  for (const key of ['container_id', 'id']) {
    const id = containerIdFrom(labels[key]);
    if (id) {
      ref.id = id;
      break;
    }
  }
  const name = firstText(labels.container, labels.container_name, labels.name);
  if (name) ref.name = name.replace(/^\//, '');
  return ref.id || ref.name ? ref : undefined;
}

/** A cgroup path ending in a container id: `/docker/<id>`, `docker-<id>.scope`. */
const cgroupIdPath = new RegExp(`(?:^|/)(?:docker[/-])(${containerIdRefText})(?:\\.scope)?$`);

function containerIdFrom(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().toLowerCase();
  const path = cgroupIdPath.exec(text);
  if (path) return path[1];
  const bare = text.replace(/^(?:docker|containerd):\/\//, '');
  return looksLikeContainerId(bare) ? bare : undefined;
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return undefined;
}

/** Alertmanager's fingerprint is a hash of the label set; when a sender omits it, derive one the same way. */
function labelHash(labels: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
