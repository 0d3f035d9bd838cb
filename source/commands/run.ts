import { loadConfig } from '../config/config-file.js';
import { resolveSettings } from '../config/settings.js';
import { startSupervisor, type Supervisor } from '../enforce/supervisor.js';
import { connectEngines } from './engine-check.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** The supervisor: engine plus TUI on a terminal, or --headless (NDJSON records on stdout). */
export async function runCommand(context: CommandContext): Promise<number> {
  const warn = (message: string) => context.stderr.write(`${message}\n`);
  const { config, file } = await loadConfig(context.flags.config, context.env).catch((error: Error) => {
    throw new CliError(`brig: ${error.message}`, exitCodes.invalid);
  });
  let settings;
  try {
    settings = resolveSettings(context.flags, config, context.env, process.cwd());
  } catch (error) {
    throw new CliError(`brig: ${(error as Error).message}`, exitCodes.invalid);
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
  // Headless: a stop asked for while Brig is still starting (systemd, Ctrl-C) is honoured as soon as
  // it is up, never by dying half-started with the journal unflushed.
  const stopRequested = headless ? shutdownSignal() : undefined;
  // The UI loads while the engines connect and the supervisor starts: the first frame comes sooner.
  if (!headless) void (await import('../ui/start-tui.js')).preloadTui().catch(() => undefined);
  const ports = await connectEngines(settings.dockerHosts, context.env, warn);

  const supervisor = await startSupervisor(
    settings,
    ports,
    warn,
    headless ? (record) => stdout.write(`${JSON.stringify(record)}\n`) : undefined,
    { policiesExplicit: context.flags.policies !== undefined || context.env.BRIG_POLICIES !== undefined },
  );
  if (stopRequested) return runHeadless(supervisor, stopRequested);
  const { startTui } = await import('../ui/start-tui.js');
  await startTui(supervisor.engine, { readOnly: settings.readOnly, keys: settings.config.keys });
  await supervisor.stop();
  return exitCodes.ok;
}

/** Resolves on the first SIGTERM, SIGINT or SIGHUP. */
function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const)
      process.once(signal, () => resolve(signal));
  });
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
