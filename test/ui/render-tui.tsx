import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { EngineHandle } from '../../source/domain/snapshot.js';
import { App, type AppProps } from '../../source/ui/app.js';
import { defaultKeymap, type KeyBinding } from '../../source/ui/keymap.js';
import { makeTheme, ThemeContext } from '../../source/ui/theme.js';

// Keys are applied one per render and each press waits for the frames to settle: on a loaded
// 2-core machine a test of many keys takes longer than vitest's default 5 s.
vi.setConfig({ testTimeout: 30_000 });

export const keys = {
  enter: '\r',
  escape: '\x1b',
  tab: '\t',
  shiftTab: '\x1b[Z',
  up: '\x1b[A',
  down: '\x1b[B',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  ctrlC: '\x03',
  backspace: '\x7f',
};

/** Lets Ink and React settle (input is parsed and state flushed on later ticks). */
export async function tick(ms = 30): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Renders the App with ink-testing-library at a fixed size. Its fake stdout reports 100 columns and
 * no rows, so both are set on the instance and a resize is emitted before any assertion.
 */
export async function renderTui(
  handle: EngineHandle,
  options: {
    columns: number;
    rows: number;
    readOnly?: boolean;
    keymap?: readonly KeyBinding[];
    noColor?: boolean;
    intro?: AppProps['intro'];
  },
) {
  const instance = render(
    <ThemeContext.Provider value={makeTheme(options.noColor ?? true)}>
      <App
        handle={handle}
        keymap={options.keymap ?? defaultKeymap}
        readOnly={options.readOnly ?? false}
        intro={options.intro}
        coalesceMs={0}
      />
    </ThemeContext.Provider>,
  );
  const resize = async (columns: number, rows: number) => {
    Object.defineProperty(instance.stdout, 'columns', { configurable: true, get: () => columns });
    Object.defineProperty(instance.stdout, 'rows', { configurable: true, get: () => rows });
    instance.stdout.emit('resize');
    await tick();
  };
  await resize(options.columns, options.rows);
  const frame = () => instance.lastFrame() ?? '';
  // Each key waits for the frames it causes to settle (keys are applied one per render, so a burst
  // takes several), or 200 ms when it changes nothing: a busy machine slows the test down instead of
  // failing it.
  const press = async (...inputs: string[]) => {
    for (const input of [...inputs, ...(inputs.length === 0 ? [''] : [])]) {
      const before = instance.frames.length;
      if (input) instance.stdin.write(input);
      for (let waited = 0; waited < 200 && instance.frames.length === before; waited += 10) await tick(10);
      for (let seen = -1; seen !== instance.frames.length;) {
        seen = instance.frames.length;
        await tick(40);
      }
    }
  };
  return { ...instance, frame, press, resize };
}
