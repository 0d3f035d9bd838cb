import type { EngineHandle, EngineSnapshot } from '../domain/snapshot.js';
import { viewChange } from './same-view.js';

export interface SnapshotStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): EngineSnapshot;
  /** Passes the engine's latest snapshot on now (e.g. when details open: their histories were not followed). */
  refresh(): void;
}

/**
 * The engine's snapshots, passed on at most once per `intervalMs` (DESIGN §10: ≤ 10 a second), for
 * React's useSyncExternalStore. A burst of engine updates becomes one render with the latest
 * snapshot; the first update after a quiet spell goes through at once. A snapshot that would draw
 * the same screen as the one shown (new objects, same content) is not passed on at all, and one
 * that only moves live figures (a sampler tick) waits until 2 s have passed since the last (k9s
 * refreshes every 2 s). While the engine streams (a flood), frames are spaced 250 ms apart.
 */
export function coalescedStore(
  handle: EngineHandle,
  intervalMs = 100,
  figuresIntervalMs = 2000,
  busyIntervalMs = intervalMs * 2.5,
  /** Whether CPU/pids histories are on screen now (see ViewOptions). */
  historiesShown: () => boolean = () => true,
): SnapshotStore {
  let current = handle.getSnapshot();
  let lastPublished = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let waitingForFigures = false;
  // Publishes in a row that had to wait: the engine is streaming (an alert flood). Then frames are
  // spaced wider, which leaves the event loop to the operator's keys.
  let delayedInARow = 0;
  const listeners = new Set<() => void>();
  let unsubscribeEngine: (() => void) | undefined;

  const publish = () => {
    timer = undefined;
    waitingForFigures = false;
    const next = handle.getSnapshot();
    const change = viewChange(current, next, { histories: historiesShown() });
    // Same content, new objects: nothing to redraw.
    if (change === 'none') return;
    // Only CPU/memory/pids moved: those are redrawn once a second, not ten times.
    const figuresWait = lastPublished + figuresIntervalMs - Date.now();
    if (change === 'figures' && figuresWait > 0) {
      timer = setTimeout(publish, figuresWait);
      waitingForFigures = true;
      return;
    }
    emit(next);
  };
  const emit = (next: EngineSnapshot) => {
    lastPublished = Date.now();
    current = next;
    for (const listener of [...listeners]) listener();
  };
  const onEngine = () => {
    // A change of content does not wait behind a figures-only redraw.
    if (timer && waitingForFigures) {
      clearTimeout(timer);
      timer = undefined;
      waitingForFigures = false;
    }
    if (timer) return;
    const spacing = delayedInARow >= 3 ? busyIntervalMs : intervalMs;
    const wait = lastPublished + spacing - Date.now();
    if (wait <= 0) {
      delayedInARow = 0;
      publish();
    } else {
      delayedInARow += 1;
      timer = setTimeout(publish, wait);
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!unsubscribeEngine) {
        unsubscribeEngine = handle.subscribe(onEngine);
        // Anything that changed before we subscribed.
        onEngine();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          unsubscribeEngine?.();
          unsubscribeEngine = undefined;
          if (timer) clearTimeout(timer);
          timer = undefined;
        }
      };
    },
    getSnapshot: () => current,
    refresh() {
      const next = handle.getSnapshot();
      if (next !== current) emit(next);
    },
  };
}
