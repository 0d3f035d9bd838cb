import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

export async function hardenCommand(_context: CommandContext): Promise<number> {
  throw new CliError('brig harden: not yet built', exitCodes.usage);
}
