import type { ContainerRef } from '../domain/alert.js';
import type { Container } from '../domain/container.js';

/**
 * Resolve an alert's container reference against the inventory (DESIGN §4): full id, unique id
 * prefix of at least 12 hex digits, or exact name with or without the leading `/`. Anything
 * ambiguous or unknown is undefined: Brig never guesses which container an alert meant.
 */
export function resolveContainer(ref: ContainerRef, inventory: readonly Container[]): Container | undefined {
  const index = indexOf(inventory);
  if (ref.id !== undefined) {
    const id = ref.id.trim().toLowerCase();
    if (/^[0-9a-f]{12,64}$/.test(id)) {
      const matches = index.byPrefix.get(id.slice(0, 12)) ?? [];
      const found = matches.filter((c) => c.id.startsWith(id));
      if (found.length === 1) return found[0];
      if (found.length > 1) return undefined;
    } else if (ref.name === undefined) {
      // Some sources put a name where an id belongs; an exact name is still unambiguous.
      return byName(index, ref.id);
    }
  }
  if (ref.name !== undefined) return byName(index, ref.name);
  return undefined;
}

function byName(index: InventoryIndex, name: string): Container | undefined {
  const matches = index.byName.get(name.replace(/^\//, ''));
  return matches?.length === 1 ? matches[0] : undefined;
}

interface InventoryIndex {
  size: number;
  byPrefix: Map<string, Container[]>;
  byName: Map<string, Container[]>;
}

// Inventories are immutable snapshots (callers must not edit an array in place after passing it):
// index each once, however many alerts it serves.
const indexes = new WeakMap<readonly Container[], InventoryIndex>();

function indexOf(inventory: readonly Container[]): InventoryIndex {
  let index = indexes.get(inventory);
  // A length change means someone appended to the array after all: index it again.
  if (!index || index.size !== inventory.length) {
    index = { size: inventory.length, byPrefix: new Map(), byName: new Map() };
    for (const c of inventory) {
      push(index.byPrefix, c.id.slice(0, 12), c);
      push(index.byName, c.name.replace(/^\//, ''), c);
    }
    indexes.set(inventory, index);
  }
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
