import { readFile } from 'node:fs/promises';
import { ioReason } from '../util/io-reason.js';
import type { Config } from './config-file.js';
import { ConfigError } from './config-error.js';
import { defaultConfigPath, hasConfigVariable } from './config-names.js';

/**
 * ConfigSchema's defaults as JSON, computed from the schema when the shipped bundle is built
 * (scripts/build.mjs defines it): with no config file and no BRIG_<SECTION>_* variable they are the
 * whole config, and the TUI's first frame does not wait for zod (~600 kB) to load. Undefined
 * outside the bundle (tsc's output, the tests), where the schema gives them.
 */
declare const BRIG_BUILT_DEFAULT_CONFIG: string | undefined;

/**
 * Reads and validates the config file, then applies BRIG_<SECTION>_<KEY> overrides. An explicit file
 * must exist; the default one is used only if present. Relative paths in the file are relative to it.
 */
export async function loadConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<{ config: Config; file?: string }> {
  const explicit = file !== undefined;
  const target = file ?? defaultConfigPath(env);
  let text: string | undefined;
  try {
    text = await readFile(target, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit || code !== 'ENOENT')
      throw new ConfigError(`${target}: cannot read the config file: ${ioReason(error)}`);
  }
  // Parsed per call, a fresh object: callers may set paths on it.
  if (text === undefined && !hasConfigVariable(env) && typeof BRIG_BUILT_DEFAULT_CONFIG === 'string')
    return { config: JSON.parse(BRIG_BUILT_DEFAULT_CONFIG) as Config };
  const { parseConfig } = await import('./config-file.js');
  const config = parseConfig(text ?? '', text === undefined ? undefined : target, env);
  return text === undefined ? { config } : { config, file: target };
}
