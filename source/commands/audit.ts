import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

export async function auditCommand(_context: CommandContext): Promise<number> {
  throw new CliError('brig audit: not yet built', exitCodes.usage);
}
