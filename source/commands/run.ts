import { connectEngines } from './engine-check.js';
import type { CommandContext } from './flags.js';

/** The supervisor: engine plus TUI, or --headless. */
export async function runCommand(context: CommandContext): Promise<number> {
  await connectEngines(context.flags.dockerHost, context.env, (m) => context.stderr.write(`${m}\n`));
  context.stderr.write('brig: the supervisor engine is not yet built\n');
  return 2;
}
