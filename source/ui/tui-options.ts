import type { DetailLine } from './details.js';

/** How the TUI is started (start-tui.tsx); its own module so run-tui and start-tui do not import each other. */
export interface TuiOptions {
  readOnly: boolean;
  /** `[keys]` overrides from config.toml (action name → key or keys). */
  keys?: Record<string, string | string[]>;
  /** NO_COLOR is honoured also via the environment. */
  noColor?: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Closes the UI (terminal restored, startTui resolves): e.g. when the engine fails to start. */
  signal?: AbortSignal;
  /** Shown over the panes until a key is pressed (BRIG_INTRO_FILE: the demo's introduction). */
  intro?: { title: string; lines: DetailLine[] };
}
