import ansiEscapes from 'ansi-escapes';
import { render } from 'ink';
import type { EngineHandle } from '../domain/snapshot.js';
import { App } from './app.js';
import { applyKeyOverrides } from './keymap.js';
import type { TuiOptions } from './tui-options.js';
import { makeTheme, noColorFromEnv, ThemeContext } from './theme.js';

// Ink 6 has no alternate-screen option: the UI takes over the terminal's second screen itself, so
// the operator's scrollback is there again on quit.
const enterScreen =
  ansiEscapes.enterAlternativeScreen +
  ansiEscapes.cursorTo(0, 0) +
  ansiEscapes.eraseScreen +
  ansiEscapes.cursorHide;
const leaveScreen = ansiEscapes.cursorShow + ansiEscapes.exitAlternativeScreen;

/** startTui's body (see start-tui.tsx), loaded after NODE_ENV is settled. */
export async function runTui(handle: EngineHandle, options: TuiOptions): Promise<void> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const noColor = options.noColor ?? noColorFromEnv();
  const { keymap, errors } = applyKeyOverrides(options.keys ?? {});

  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    try {
      stdout.write(leaveScreen);
    } catch {
      // The terminal is gone (SIGHUP): nothing left to restore.
    }
  };
  stdout.write(enterScreen);

  const instance = render(
    <ThemeContext.Provider value={makeTheme(noColor)}>
      <App
        handle={handle}
        keymap={keymap}
        readOnly={options.readOnly}
        intro={options.intro}
        initialStatus={errors.length > 0 ? { text: errors.join('; '), ok: false } : undefined}
      />
    </ThemeContext.Provider>,
    // Engine-driven frames are already capped by the snapshot store (≤ 10/s, 4/s in a flood). Ink's
    // own throttle only delays the frame a key causes: at 12 fps a keypress during an alert flood
    // took ~120 ms to show in the UI alone (measured, synthetic engine), at 30 fps ~35 ms.
    { stdout, stdin, exitOnCtrlC: false, patchConsole: false, maxFps: 30 },
  );

  let crash: unknown;
  const quit = () => instance.unmount();
  const onCrash = (error: unknown) => {
    crash = error;
    instance.unmount();
    restore();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
  for (const signal of signals) process.on(signal, quit);
  if (options.signal?.aborted) quit();
  options.signal?.addEventListener('abort', quit, { once: true });
  process.on('uncaughtException', onCrash);
  process.on('exit', restore);
  // A terminal that went away without a SIGHUP reaching Brig (it ran under a shell that kept the
  // signal): its input ends or fails (EIO), and nobody is left to press q.
  stdin.on('end', quit);
  stdin.on('error', quit);
  try {
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, quit);
    options.signal?.removeEventListener('abort', quit);
    process.off('uncaughtException', onCrash);
    process.off('exit', restore);
    stdin.off('end', quit);
    stdin.off('error', quit);
    instance.cleanup();
    restore();
  }
  if (crash !== undefined) throw crash;
}
