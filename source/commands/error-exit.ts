import { ConfigError } from '../config/config-error.js';
import { StartupError } from '../enforce/startup-error.js';
import { CliError, exitCodes } from './exit-codes.js';

/** The lower layers' typed errors as the CLI reports them: one message and an exit code. */
export function asCliError(error: unknown): unknown {
  if (error instanceof ConfigError)
    return new CliError(
      `brig: ${error.message}`,
      error.kind === 'usage' ? exitCodes.usage : exitCodes.invalid,
    );
  // A start that cannot complete (policies, token, port, replay file, journal) is invalid input.
  if (error instanceof StartupError) return new CliError(error.message, exitCodes.invalid);
  return error;
}
