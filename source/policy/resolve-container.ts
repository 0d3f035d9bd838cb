import type { ContainerRef } from '../domain/alert.js';
import type { Container } from '../domain/container.js';

/**
 * Resolve an alert's container reference against the inventory (DESIGN §4): full id, unique id
 * prefix of at least 12 hex digits, or exact name with or without the leading `/`. Anything
 * ambiguous or unknown is undefined: Brig never guesses which container an alert meant.
 */
export function resolveContainer(ref: ContainerRef, inventory: readonly Container[]): Container | undefined {
  const lookup = lookupFor(inventory);
  if (ref.id !== undefined) {
    const id = ref.id.trim().toLowerCase();
    if (/^[0-9a-f]{12,64}$/.test(id)) {
      const found = lookup.byIdPrefix(id);
      if (found.length === 1) return found[0];
      if (found.length > 1) return undefined;
    } else if (ref.name === undefined) {
      // Some sources put a name where an id belongs; an exact name is still unambiguous.
      return unique(lookup.byName(ref.id.replace(/^\//, '')));
    }
  }
  if (ref.name !== undefined) return unique(lookup.byName(ref.name.replace(/^\//, '')));
  return undefined;
}

function unique(matches: readonly Container[]): Container | undefined {
  return matches.length === 1 ? matches[0] : undefined;
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
