import type { Alert } from '../domain/alert.js';

/**
 * The size of every field of a normalized alert, in UTF-8 bytes (README "Alert intake"). Enforced
 * once, at normalization, whatever the format: an alert is held in the queue, the dedup window,
 * the engine's recent alerts and the journal, so one field of a megabyte would cost that much
 * several times over (issue 11: unique 1 MB ids grew RSS by 1 MB per alert until out of memory).
 */
export const alertLimits = {
  id: 256,
  rule: 512,
  source: 128,
  message: 16 * 1024,
  'container.id': 128,
  'container.name': 256,
  /** `fields` as JSON, in total. */
  fields: 64 * 1024,
} as const;

/** Why `alert` is over a limit, naming the field, or undefined when every field fits. */
export function overLimit(alert: Alert): string | undefined {
  const texts: [keyof typeof alertLimits, string | undefined][] = [
    ['id', alert.id],
    ['rule', alert.rule],
    ['source', alert.source],
    ['message', alert.message],
    ['container.id', alert.container?.id],
    ['container.name', alert.container?.name],
  ];
  for (const [field, text] of texts) {
    if (text === undefined) continue;
    const limit = alertLimits[field];
    // Cheap first: a string of n UTF-16 units is at most 3n bytes.
    if (text.length * 3 <= limit) continue;
    const bytes = Buffer.byteLength(text);
    if (bytes > limit) return tooLong(field, bytes, limit);
  }
  let fieldsJson: string;
  try {
    fieldsJson = JSON.stringify(alert.fields) ?? '{}';
  } catch {
    return 'fields cannot be serialized as JSON';
  }
  const bytes = Buffer.byteLength(fieldsJson);
  if (bytes > alertLimits.fields) return tooLong('fields', bytes, alertLimits.fields);
  return undefined;
}

function tooLong(field: string, bytes: number, limit: number): string {
  return `${field} too long: ${bytes} bytes, at most ${limit}`;
}
