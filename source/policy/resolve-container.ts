import type { ContainerRef } from '../domain/alert.js';
import type { Container } from '../domain/container.js';
import { containerIdRefPattern } from '../domain/container.js';

/** How an alert's container reference resolved: one container, or why none (DESIGN §4, §6). */
export type Resolution =
  | { ok: true; container: Container }
  | { ok: false; verdict: 'unknown-container' | 'container-mismatch'; reason: string };

/**
 * Resolve an alert's container reference against the inventory (DESIGN §4): full id, unique id
 * prefix of at least 12 hex digits, or exact name with or without the leading `/`. An id is
 * authoritative: one that matches nothing is unknown, never replaced by the name (the name may
 * belong to a successor recreated under it), and an id and a name that name two different
 * containers are a mismatch. Anything ambiguous or unknown resolves to no container.
 */
export function resolveReference(ref: ContainerRef, inventory: readonly Container[]): Resolution {
  const lookup = lookupFor(inventory);
  const name = ref.name?.replace(/^\//, '');
  if (ref.id !== undefined) {
    const id = ref.id.trim().toLowerCase();
    if (!containerIdRefPattern.test(id)) {
      // Some sources put a name where an id belongs; alone, an exact name is still unambiguous.
      if (name === undefined) return byName(lookup, ref.id.replace(/^\//, ''));
      return unknown(`container id "${ref.id}" is not a container id (12 to 64 hex digits)`);
    }
    const found = lookup.byIdPrefix(id);
    if (found.length === 0)
      return unknown(
        `no container has id ${id}${name !== undefined ? ` (the name "${name}" is not used in its place)` : ''}`,
      );
    if (found.length > 1) return unknown(`id prefix ${id} is ambiguous: ${found.length} containers`);
    const container = found[0]!;
    if (name !== undefined && stripSlash(container.name) !== name) {
      const other = lookup.byName(name).find((c) => c.id !== container.id);
      if (other)
        return {
          ok: false,
          verdict: 'container-mismatch',
          reason: `the alert's id ${id.slice(0, 12)} is ${stripSlash(container.name)}, but its name "${name}" is another container (${other.id.slice(0, 12)}): acting on neither`,
        };
    }
    return { ok: true, container };
  }
  if (name !== undefined) return byName(lookup, name);
  return unknown('the alert names no container');
}

/** The container a reference names, or undefined (see resolveReference). */
export function resolveContainer(ref: ContainerRef, inventory: readonly Container[]): Container | undefined {
  const r = resolveReference(ref, inventory);
  return r.ok ? r.container : undefined;
}

function unknown(reason: string): Resolution {
  return { ok: false, verdict: 'unknown-container', reason };
}

function byName(lookup: Lookup, name: string): Resolution {
  const matches = lookup.byName(name);
  if (matches.length === 1) return { ok: true, container: matches[0]! };
  return unknown(
    matches.length === 0
      ? `container "${name}" is not in the inventory`
      : `container name "${name}" is ambiguous: ${matches.length} containers (on several engines)`,
  );
}

interface Lookup {
  byIdPrefix(prefix: string): Container[];
  byName(name: string): readonly Container[];
}

interface InventoryIndex {
  size: number;
  byPrefix: Map<string, Container[]>;
  byName: Map<string, Container[]>;
}

// An inventory array seen once is scanned; seen again (the same snapshot serving many alerts), it
// is indexed. Callers that build a fresh array per alert pay one linear scan, never an index build.
// A length change means the array was appended to: it is looked at afresh.
const seen = new WeakMap<readonly Container[], number | InventoryIndex>();

function lookupFor(inventory: readonly Container[]): Lookup {
  const entry = seen.get(inventory);
  if (typeof entry === 'object' && entry.size === inventory.length) return indexLookup(entry);
  if (entry === inventory.length) {
    const index = buildIndex(inventory);
    seen.set(inventory, index);
    return indexLookup(index);
  }
  seen.set(inventory, inventory.length);
  return {
    byIdPrefix: (prefix) => inventory.filter((c) => c.id.startsWith(prefix)),
    byName: (name) => inventory.filter((c) => stripSlash(c.name) === name),
  };
}

function indexLookup(index: InventoryIndex): Lookup {
  return {
    byIdPrefix: (prefix) =>
      (index.byPrefix.get(prefix.slice(0, 12)) ?? []).filter((c) => c.id.startsWith(prefix)),
    byName: (name) => index.byName.get(name) ?? [],
  };
}

function buildIndex(inventory: readonly Container[]): InventoryIndex {
  const index: InventoryIndex = { size: inventory.length, byPrefix: new Map(), byName: new Map() };
  for (const c of inventory) {
    push(index.byPrefix, c.id.slice(0, 12), c);
    push(index.byName, stripSlash(c.name), c);
  }
  return index;
}

function stripSlash(name: string): string {
  return name.startsWith('/') ? name.slice(1) : name;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
