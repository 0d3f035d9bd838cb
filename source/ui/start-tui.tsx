import type { EngineHandle } from '../domain/snapshot.js';
import type * as RunTuiModule from './run-tui.js';
import type { TuiOptions } from './tui-options.js';

export type { TuiOptions } from './tui-options.js';

/**
 * Runs the TUI until the operator quits (or SIGTERM/SIGHUP/SIGINT arrive: SIGHUP is a dropped SSH
 * session, so it quits too). The terminal is put back on every way out, crash included: an
 * uncaught exception restores the screen and rejects, so the caller can stop the engine and exit.
 *
 * React and Ink pick their build when first loaded, and the development build (extra checks,
 * per-render performance marks) costs the UI several times the CPU: so NODE_ENV is settled first
 * (an explicit value, such as tests' "test", is kept) and the UI loaded after. The shipped bundle
 * (scripts/build.mjs) carries only the production build; this matters for tsc's dist/** and tests.
 */
export async function startTui(handle: EngineHandle, options: TuiOptions): Promise<void> {
  const { runTui } = await preloadTui();
  return runTui(handle, options);
}

let loading: Promise<typeof RunTuiModule> | undefined;

/**
 * Starts loading the UI (React and Ink: most of a second of module loading on a busy host) so it
 * overlaps the engine's start; startTui then finds it loaded. Idempotent; a failure resurfaces in
 * startTui.
 */
export function preloadTui(): Promise<typeof RunTuiModule> {
  process.env.NODE_ENV ??= 'production';
  loading ??= import('./run-tui.js');
  return loading;
}
