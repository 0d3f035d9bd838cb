import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

export async function schemaCommand(_context: CommandContext): Promise<number> {
  throw new CliError('brig schema: not yet built', exitCodes.usage);
}
