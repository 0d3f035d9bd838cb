import type { ContainerView } from '../domain/snapshot.js';

/** The Containers pane orders the sort key cycles through; the pane's title shows the current one. */
export const containerSorts = ['name', 'cpu', 'memory', 'pids', 'state'] as const;
export type ContainerSort = (typeof containerSorts)[number];

const byName = (a: ContainerView, b: ContainerView) => a.name.localeCompare(b.name);

/** Containers in `order`: figures highest first (what an incident looks for), ties by name. */
export function sortContainers(containers: readonly ContainerView[], order: ContainerSort): ContainerView[] {
  const figure = (c: ContainerView): number => {
    if (order === 'cpu') return c.state === 'paused' ? 0 : (c.stats?.cpuPercent ?? -1);
    if (order === 'memory') return c.stats?.memoryBytes ?? -1;
    return c.stats?.pids ?? -1;
  };
  const sorted = [...containers];
  if (order === 'name') return sorted.sort(byName);
  // State: what Brig acted on first (isolation labels), then anything not running, then running.
  if (order === 'state') {
    const rank = (c: ContainerView) =>
      (c.isolation?.labels.length ?? 0) > 0 ? 0 : c.stale ? 1 : c.state !== 'running' ? 2 : 3;
    return sorted.sort((a, b) => rank(a) - rank(b) || a.state.localeCompare(b.state) || byName(a, b));
  }
  return sorted.sort((a, b) => figure(b) - figure(a) || byName(a, b));
}
