import { loadConfig } from '../config/load-config.js';
import { resolveSettings } from '../config/settings.js';
import type { Supervisor } from '../enforce/supervisor.js';
import { asCliError } from './error-exit.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';
import type { Settings } from '../config/settings.js';
import type { JournalRecord } from '../domain/journal-record.js';
import { readIntroFile } from './intro-file.js';
import { StartingEngine } from './starting-engine.js';

/** The supervisor: engine plus TUI on a terminal, or --headless (NDJSON records on stdout). */
export async function runCommand(context: CommandContext): Promise<number> {
  const warn = (message: string) => context.stderr.write(`${message}\n`);
  let settings;
  let file;
  try {
    const loaded = await loadConfig(context.flags.config, context.env);
    file = loaded.file;
    settings = resolveSettings(context.flags, loaded.config, context.env, process.cwd());
  } catch (error) {
    throw asCliError(error);
  }
  settings.configFile ??= file;
  // A [keys] remap that clashes is a config error, caught before the screen is taken over.
  const { applyKeyOverrides } = await import('../ui/keymap.js');
  const keyErrors = applyKeyOverrides(settings.config.keys ?? {}).errors;
  if (keyErrors.length > 0) {
    throw new CliError(
      keyErrors.map((e) => `brig: ${settings.configFile ?? 'config'}: [keys]: ${e}`).join('\n'),
      exitCodes.invalid,
    );
  }
  const stdout = context.stdout as NodeJS.WriteStream;
  const headless = settings.headless || !stdout.isTTY;
  if (!headless && settings.alerts === '-') {
    throw new CliError(
      'brig: --alerts - reads stdin, which the TUI needs for keys: use --headless, or a file or FIFO',
      exitCodes.usage,
    );
  }
  const policiesExplicit = context.flags.policies !== undefined || context.env.BRIG_POLICIES !== undefined;
  if (headless) {
    // A stop asked for while Brig is still starting (systemd, Ctrl-C) is honoured as soon as it is
    // up, never by dying half-started with the journal unflushed.
    const stop = shutdownSignal();
    let supervisor;
    try {
      supervisor = await startEngine(settings, context.env, warn, {
        onRecord: (record) => stdout.write(`${JSON.stringify(record)}\n`),
        policiesExplicit,
      });
    } catch (error) {
      // A failed start exits: the signal handlers must not keep a stop request waiting for nothing.
      stop.dispose();
      throw asCliError(error);
    }
    return runHeadless(supervisor, stop.requested);
  }
  return runWithTui(settings, context.env, policiesExplicit);
}

/** The Engine API client and the engine load only here: the TUI's first frame does not wait for them. */
async function startEngine(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
  options: { onRecord?: (record: JournalRecord) => void; policiesExplicit: boolean },
): Promise<Supervisor> {
  const [{ connectEngines }, { startSupervisor }] = await Promise.all([
    import('./engine-check.js'),
    import('../enforce/supervisor.js'),
  ]);
  const ports = await connectEngines(settings.dockerHosts, env, warn);
  return startSupervisor(settings, ports, warn, options.onRecord, {
    policiesExplicit: options.policiesExplicit,
  });
}

/**
 * The TUI first, on a placeholder ("connecting…"), then the engine behind it. If the engine cannot
 * start (engine unreachable, a broken policy file, a port in use), the UI closes, the terminal is
 * given back, and the error is reported with its exit code as without the UI.
 */
async function runWithTui(
  settings: Settings,
  env: NodeJS.ProcessEnv,
  policiesExplicit: boolean,
): Promise<number> {
  const { resolveDockerHosts } = await import('../docker/engine-host.js');
  const handle = new StartingEngine(
    resolveDockerHosts(settings.dockerHosts, env),
    settings.readOnly,
    settings.dryRun,
  );
  const closeUi = new AbortController();
  const intro = env.BRIG_INTRO_FILE ? await readIntroFile(env.BRIG_INTRO_FILE) : undefined;
  const { preloadTui, startTui } = await import('../ui/start-tui.js');
  await preloadTui();
  const ui = startTui(handle, {
    readOnly: settings.readOnly,
    keys: settings.config.keys,
    signal: closeUi.signal,
    intro,
  });
  // Let the first frame out before the engine's modules load on the same thread.
  await new Promise((resolve) => setImmediate(resolve));
  let failure: unknown;
  const started = startEngine(settings, env, (m) => handle.warn(m), { policiesExplicit }).then(
    (supervisor) => {
      handle.attach(supervisor.engine);
      return supervisor;
    },
    (error: unknown) => {
      failure = error;
      closeUi.abort();
      return undefined;
    },
  );
  await ui;
  // Quit while still starting: let the start finish, then stop it cleanly.
  const supervisor = await started;
  handle.close();
  await supervisor?.stop();
  if (failure !== undefined) throw asCliError(failure);
  return exitCodes.ok;
}

/** Resolves on the first SIGTERM, SIGINT or SIGHUP; dispose() gives the signals back to Node. */
function shutdownSignal(): { requested: Promise<NodeJS.Signals>; dispose(): void } {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const handlers = new Map<NodeJS.Signals, () => void>();
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    for (const signal of signals) {
      const handler = () => resolve(signal);
      handlers.set(signal, handler);
      process.once(signal, handler);
    }
  });
  return {
    requested,
    dispose: () => handlers.forEach((handler, signal) => process.off(signal, handler)),
  };
}

/** Runs until a stop signal; then drains in-flight actions, flushes the journal, exits 0. */
async function runHeadless(supervisor: Supervisor, stopRequested: Promise<NodeJS.Signals>): Promise<number> {
  await stopRequested;
  try {
    await supervisor.stop();
    return exitCodes.ok;
  } catch (error) {
    process.stderr.write(`brig: while stopping: ${(error as Error).message}\n`);
    return exitCodes.invalid;
  }
}
