import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

export async function checkCommand(_context: CommandContext): Promise<number> {
  throw new CliError('brig check: not yet built', exitCodes.usage);
}
