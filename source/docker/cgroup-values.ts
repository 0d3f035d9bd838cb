/** Parsers for the cgroup files the sampler reads. "max" and v1's near-2^63 "no limit" become Infinity. */

// v1 writes "no memory limit" as PAGE_COUNTER_MAX × page size (9223372036854771712); anything this big is none.
const unlimitedAbove = 2 ** 62;

export function parseCount(text: string): number | undefined {
  const value = Number(text.trim());
  return Number.isFinite(value) && text.trim() !== '' ? value : undefined;
}

export function parseLimit(text: string): number | undefined {
  const t = text.trim();
  if (t === 'max') return Infinity;
  const value = parseCount(t);
  if (value === undefined) return undefined;
  return value >= unlimitedAbove ? Infinity : value;
}

/** A `key value` per line file (pids.events, cpu.stat, memory.stat): the value of `key`. */
export function parseKeyed(text: string, key: string): number | undefined {
  const prefix = `${key} `;
  for (const line of text.split('\n')) {
    if (line.startsWith(prefix)) return parseCount(line.slice(prefix.length));
  }
  return undefined;
}

/** PSI file (`some avg10=1.23 avg60=… total=…`): the `some` 10-second average, in percent. */
export function parsePressureSomeAvg10(text: string): number | undefined {
  const match = /^some avg10=([0-9.]+)/m.exec(text);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
