import type { ContainerView, EngineSnapshot } from '../domain/snapshot.js';

// JSON of snapshot items, cached per object: items the engine did not replace cost nothing.
const cache = new WeakMap<object, string>();
function text(item: object): string {
  let json = cache.get(item);
  if (json === undefined) {
    json = JSON.stringify(item);
    cache.set(item, json);
  }
  return json;
}

// The same, without the live figures: tells a sampler tick from a change of state.
const shapeCache = new WeakMap<object, string>();
function shape(container: ContainerView): string {
  let json = shapeCache.get(container);
  if (json === undefined) {
    json = JSON.stringify({ ...container, stats: undefined });
    shapeCache.set(container, json);
  }
  return json;
}

function sameItems(a: readonly object[], b: readonly object[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && text(a[i]!) !== text(b[i]!)) return false;
  return true;
}

/**
 * True when two snapshots would draw the same screen. The engine publishes a new snapshot whenever
 * anything moves (every sampler tick re-creates each container's stats); an idle host then gets
 * identical content ten times a second, and each frame costs Ink a full redraw. Skipping those is
 * most of the TUI's idle CPU.
 */
export function sameView(a: EngineSnapshot, b: EngineSnapshot): boolean {
  return (
    a === b ||
    (a.armed === b.armed &&
      a.dryRun === b.dryRun &&
      a.readOnly === b.readOnly &&
      a.inFlight === b.inFlight &&
      a.policyError === b.policyError &&
      a.sampler === b.sampler &&
      text(a.counters) === text(b.counters) &&
      sameItems(a.engines, b.engines) &&
      sameItems(a.containers, b.containers) &&
      sameItems(a.alerts, b.alerts) &&
      sameItems(a.policies, b.policies) &&
      sameItems(a.actions, b.actions) &&
      sameItems(a.queue, b.queue))
  );
}

/**
 * How two snapshots differ on screen: not at all, only in live figures (CPU, memory, pids — a
 * sampler tick), or in content (state, alerts, actions, queue…). Figures may be drawn less often.
 */
export function viewChange(a: EngineSnapshot, b: EngineSnapshot): 'none' | 'figures' | 'content' {
  if (sameView(a, b)) return 'none';
  const { containers: ca, ...restA } = a;
  const { containers: cb, ...restB } = b;
  if (!sameView({ ...restA, containers: [] }, { ...restB, containers: [] })) return 'content';
  if (ca.length !== cb.length) return 'content';
  for (let i = 0; i < ca.length; i++)
    if (ca[i] !== cb[i] && shape(ca[i]!) !== shape(cb[i]!)) return 'content';
  return 'figures';
}
