import os from 'node:os';
import path from 'node:path';

// Where the config lives and what its variables are called: no schema here, so a start without a
// config file decides that without loading zod (load-config.ts).

/** $XDG_CONFIG_HOME/brig (an absolute XDG_CONFIG_HOME only, as the XDG spec says), else ~/.config/brig. */
export function configHome(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'brig');
}

export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  return path.join(configHome(env), 'config.toml');
}

/** Sections whose scalar keys can be set as BRIG_<SECTION>_<KEY> (e.g. BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS). */
export const envSections = ['guard', 'executor', 'intake', 'journal', 'policies', 'ui'] as const;

/** The config section a BRIG_<SECTION>_* variable belongs to, whether or not its key exists. */
export function envSectionOf(variable: string): (typeof envSections)[number] | undefined {
  return envSections.find((s) => variable.startsWith(`BRIG_${s.toUpperCase()}_`));
}

/** True when some BRIG_<SECTION>_* variable is set: the config is then more than its defaults. */
export function hasConfigVariable(env: NodeJS.ProcessEnv): boolean {
  return Object.keys(env).some((variable) => envSectionOf(variable) !== undefined);
}

export function parseBoolean(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
  return undefined;
}
