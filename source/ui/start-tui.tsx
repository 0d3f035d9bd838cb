import type { EngineHandle } from '../domain/snapshot.js';

export interface TuiOptions {
  readOnly: boolean;
  /** `[keys]` overrides from config.toml (action name → key or keys). */
  keys?: Record<string, string | string[]>;
  /** NO_COLOR is honoured also via the environment. */
  noColor?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Runs the TUI until the operator quits (or SIGTERM/SIGHUP/SIGINT arrive: SIGHUP is a dropped SSH
 * session, so it quits too). The terminal is put back on every way out, crash included: an
 * uncaught exception restores the screen and rejects, so the caller can stop the engine and exit.
 *
 * React and Ink pick their build when first loaded, and the development build (extra checks,
 * per-render performance marks) costs the UI several times the CPU: so NODE_ENV is settled first
 * (an explicit value, such as tests' "test", is kept) and the UI loaded after.
 */
export async function startTui(handle: EngineHandle, options: TuiOptions): Promise<void> {
  process.env.NODE_ENV ??= 'production';
  const { runTui } = await import('./run-tui.js');
  return runTui(handle, options);
}
