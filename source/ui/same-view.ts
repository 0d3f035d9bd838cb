import type { ContainerStats, ContainerView, EngineSnapshot } from '../domain/snapshot.js';
import { bytes, percent } from './format.js';

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

function sameItems(a: readonly object[], b: readonly object[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && text(a[i]!) !== text(b[i]!)) return false;
  return true;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Compared as shown (12.3% and 12.4% both read "12%", 320.1K and 320.4K "320K"): no frame for digits nobody sees. */
function sameStats(a: ContainerStats | undefined, b: ContainerStats | undefined, view: ViewOptions): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    (a.cpuPercent === b.cpuPercent || percent(a.cpuPercent) === percent(b.cpuPercent)) &&
    (a.memoryBytes === b.memoryBytes || bytes(a.memoryBytes) === bytes(b.memoryBytes)) &&
    a.pids === b.pids &&
    (!view.histories ||
      (sameNumbers(a.cpuHistory, b.cpuHistory) && sameNumbers(a.pidsHistory, b.pidsHistory)))
  );
}

export interface ViewOptions {
  /**
   * Whether CPU and pids histories are on screen: only a container's details draw them. While they
   * are not, a history that moves is no reason for a frame (a filling history moved every tick).
   */
  histories: boolean;
}

/**
 * How one container differs, field by field (a sampler tick re-creates the object on every
 * publish: stringifying whole containers ten times a second would cost more than drawing them).
 */
function containerChange(
  a: ContainerView,
  b: ContainerView,
  view: ViewOptions,
): 'none' | 'figures' | 'content' {
  if (a === b) return 'none';
  let figures = false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof ContainerView>);
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === y) continue;
    if (key === 'stats') {
      if (!sameStats(a.stats, b.stats, view)) figures = true;
      continue;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && text(x) === text(y)) continue;
    return 'content';
  }
  return figures ? 'figures' : 'none';
}

function containersChange(
  a: readonly ContainerView[],
  b: readonly ContainerView[],
  view: ViewOptions,
): 'none' | 'figures' | 'content' {
  if (a === b) return 'none';
  if (a.length !== b.length) return 'content';
  let figures = false;
  for (let i = 0; i < a.length; i++) {
    const change = containerChange(a[i]!, b[i]!, view);
    if (change === 'content') return 'content';
    if (change === 'figures') figures = true;
  }
  return figures ? 'figures' : 'none';
}

function sameOutsideContainers(a: EngineSnapshot, b: EngineSnapshot): boolean {
  return (
    a.armed === b.armed &&
    a.dryRun === b.dryRun &&
    a.readOnly === b.readOnly &&
    a.inFlight === b.inFlight &&
    a.policyError === b.policyError &&
    a.notice === b.notice &&
    a.sampler === b.sampler &&
    text(a.counters) === text(b.counters) &&
    sameItems(a.engines, b.engines) &&
    sameItems(a.alerts, b.alerts) &&
    sameItems(a.policies, b.policies) &&
    sameItems(a.actions, b.actions) &&
    sameItems(a.queue, b.queue)
  );
}

/**
 * How two snapshots differ on screen: not at all (the engine publishes new objects whenever anything
 * moves, often with the same content), only in live figures (CPU, memory, pids: a sampler tick), or
 * in content (state, alerts, actions, queue…). Skipping the first and spacing the second is most of
 * the TUI's idle CPU: each frame costs Ink a full redraw.
 */
export function viewChange(
  a: EngineSnapshot,
  b: EngineSnapshot,
  view: ViewOptions = { histories: true },
): 'none' | 'figures' | 'content' {
  if (a === b) return 'none';
  if (!sameOutsideContainers(a, b)) return 'content';
  return containersChange(a.containers, b.containers, view);
}

/** True when two snapshots would draw the same screen. */
export function sameView(a: EngineSnapshot, b: EngineSnapshot): boolean {
  return viewChange(a, b) === 'none';
}
