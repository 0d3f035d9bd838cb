import { policyJsonSchema } from '../domain/policy.js';
import { exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** `brig schema`: the JSON Schema of a policy file, for editors (e.g. taplo, Even Better TOML). */
export async function schemaCommand(context: CommandContext): Promise<number> {
  context.stdout.write(`${JSON.stringify(policyJsonSchema(), null, 2)}\n`);
  return exitCodes.ok;
}
