import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

export async function explainCommand(_context: CommandContext): Promise<number> {
  throw new CliError('brig explain: not yet built', exitCodes.usage);
}
