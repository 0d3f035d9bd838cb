import path from 'node:path';
import { loadConfig } from '../config/load-config.js';
import { formatPolicyError, loadPolicyDir } from '../config/policy-loader.js';
import { resolveSettings } from '../config/settings.js';
import { asCliError } from './error-exit.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/**
 * The policy directory a command works on: DIR if given, else the --policies default
 * (--policies, BRIG_POLICIES, ./policies if present, $XDG_CONFIG_HOME/brig/policies), shown
 * relative to the working directory when it is inside it, so errors read `policies/web.toml:7`.
 */
export async function policyDirFor(context: CommandContext, given?: string): Promise<string> {
  if (given !== undefined) return given;
  let dir: string;
  try {
    const { config } = await loadConfig(context.flags.config, context.env);
    dir = resolveSettings(context.flags, config, context.env, process.cwd()).policiesDir;
  } catch (error) {
    throw asCliError(error);
  }
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}

/** `brig check [DIR]`: a one-line summary per file and exit 0, or every error as file:line and exit 1. */
export async function checkCommand(context: CommandContext): Promise<number> {
  if (context.args.length > 1) throw new CliError('brig check: expected at most one DIR', exitCodes.usage);
  const dir = await policyDirFor(context, context.args[0]);
  const result = await loadPolicyDir(dir);
  if (result.errors.length > 0) {
    for (const error of result.errors) context.stdout.write(`${formatPolicyError(error)}\n`);
    const n = result.errors.length;
    context.stderr.write(`brig check: ${n} error${n === 1 ? '' : 's'} in ${dir}\n`);
    return exitCodes.invalid;
  }
  for (const { file, policies } of result.files) {
    const ids = result.policies.filter((p) => p.file === file).map((p) => p.id);
    context.stdout.write(
      `${file}: ok, ${policies} ${policies === 1 ? 'policy' : 'policies'} (${ids.join(', ')})\n`,
    );
  }
  const n = result.policies.length;
  const files = result.files.length;
  context.stdout.write(
    `${n} ${n === 1 ? 'policy' : 'policies'} in ${files} file${files === 1 ? '' : 's'}: ok\n`,
  );
  return exitCodes.ok;
}
