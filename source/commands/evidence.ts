import { loadConfig } from '../config/load-config.js';
import { resolveSettings } from '../config/settings.js';
import { defaultEvidenceRoot } from '../evidence/evidence-dir.js';
import { listBundles } from '../evidence/list.js';
import { verifyBundle } from '../evidence/verify.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** The journal verify checks against: --journal, BRIG_JOURNAL, the config, else the default (DESIGN §7). */
async function journalFor(context: CommandContext): Promise<string> {
  const { config } = await loadConfig(context.flags.config, context.env).catch((error: Error) => {
    throw new CliError(`brig: ${error.message}`, exitCodes.invalid);
  });
  try {
    return resolveSettings(context.flags, config, context.env, process.cwd()).journalFile;
  } catch (error) {
    throw new CliError(`brig: ${(error as Error).message}`, exitCodes.invalid);
  }
}

/** `brig evidence list [ROOT] [--json]` and `brig evidence verify DIR [--journal FILE]` (DESIGN §13). */
export async function evidenceCommand(context: CommandContext): Promise<number> {
  const [verb, ...args] = context.args;
  if (verb === 'list') {
    if (args.length > 1) throw new CliError('brig evidence list: expected at most one ROOT', exitCodes.usage);
    const root = args[0] ?? defaultEvidenceRoot(context.env);
    const bundles = await listBundles(root);
    if (context.flags.json) {
      context.stdout.write(`${JSON.stringify(bundles, null, 2)}\n`);
      return exitCodes.ok;
    }
    if (bundles.length === 0) context.stdout.write(`no evidence bundles in ${root}\n`);
    for (const b of bundles) {
      const status = b.problem ?? (b.complete ? 'complete' : `partial: ${(b.reasons ?? []).join('; ')}`);
      const size = b.bytes === undefined ? '' : ` ${b.files} files ${b.bytes} bytes`;
      context.stdout.write(`${b.dir}  ${b.container?.name ?? '?'}${size}  ${status}\n`);
    }
    return exitCodes.ok;
  }
  if (verb === 'verify') {
    if (args.length !== 1) throw new CliError('brig evidence verify: expected one DIR', exitCodes.usage);
    const dir = args[0]!;
    const journal = await journalFor(context);
    const result = await verifyBundle(dir, journal);
    if (!result.ok) {
      context.stderr.write(
        `brig evidence verify: ${dir}: ${result.problem!.file}: ${result.problem!.message}\n`,
      );
      return exitCodes.invalid;
    }
    const m = result.manifest!;
    context.stdout.write(
      `${dir}: ok, ${result.checked} files match the manifest, the manifest matches ${result.journal}` +
        ` (${m.complete ? 'complete' : `partial: ${m.reasons.join('; ')}`})\n`,
    );
    return exitCodes.ok;
  }
  throw new CliError(
    `brig evidence: expected 'list [ROOT]' or 'verify DIR', got ${verb === undefined ? 'nothing' : `'${verb}'`}`,
    exitCodes.usage,
  );
}
