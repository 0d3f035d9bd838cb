import type { EngineSnapshot } from './snapshot.js';

// Its own module, types only from snapshot.ts: the TUI's first frame draws it, and snapshot.ts
// loads zod (every schema) for nothing the first frame needs.
/** A snapshot with nothing in it yet: before the engine has started, and the base for test fakes. */
export function emptySnapshot(overrides: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return {
    armed: false,
    dryRun: false,
    readOnly: false,
    engines: [],
    containers: [],
    alerts: [],
    policies: [],
    actions: [],
    queue: [],
    inFlight: 0,
    counters: { alerts: 0, rejected: 0, duplicates: 0, shed: 0 },
    ...overrides,
  };
}
