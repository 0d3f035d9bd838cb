import { statSync } from 'node:fs';
import path from 'node:path';
import { resolveDockerHosts } from '../docker/engine-host.js';
import { defaultJournalPath } from '../journal/journal-path.js';
import type { Config } from './config-file.js';
import { ConfigError } from './config-error.js';
import { configHome, parseBoolean } from './config-names.js';
import {
  formatListen,
  listenRefusal,
  listenSyntax,
  parseListen,
  type ListenAddress,
} from './listen-address.js';

/** What the command line says (flags without a default are absent when not given). */
export interface SettingsInput {
  dockerHost: readonly string[];
  policies?: string;
  arm: boolean;
  dryRun: boolean;
  listen?: string;
  tokenFile?: string;
  alerts?: string;
  journal?: string;
  replay?: string;
  readOnly: boolean;
  headless: boolean;
}

/** Everything the supervisor runs with, resolved once at start. */
export interface Settings {
  dockerHosts: string[];
  policiesDir: string;
  /** Start armed: only ever from --arm or BRIG_ARM. Brig starts disarmed otherwise. */
  arm: boolean;
  dryRun: boolean;
  listen?: ListenAddress;
  tokenFile?: string;
  alerts?: string;
  journalFile: string;
  replay?: string;
  readOnly: boolean;
  headless: boolean;
  config: Config;
  configFile?: string;
}

/**
 * Precedence: CLI flags > BRIG_* environment > config file > defaults (README "Configuration"). Relative paths are
 * taken from `cwd`. Throws ConfigError naming the flag, variable or config key that is wrong.
 */
export function resolveSettings(
  flags: SettingsInput,
  config: Config,
  env: NodeJS.ProcessEnv,
  cwd: string,
  configFile?: string,
): Settings {
  const fromEnv = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const flag = (name: string): boolean => {
    const raw = env[name];
    if (raw === undefined) return false;
    const value = parseBoolean(raw);
    if (value === undefined)
      throw new ConfigError(`${name}=${raw}: expected true or false (1/0, yes/no, on/off)`);
    return value;
  };
  const at = (p: string) => path.resolve(cwd, p);

  const envHosts = fromEnv('BRIG_DOCKER_HOST')
    ?.split(',')
    .map((h) => h.trim())
    .filter((h) => h.length > 0);
  const dockerHosts =
    flags.dockerHost.length > 0
      ? resolveDockerHosts(flags.dockerHost, env)
      : envHosts?.length
        ? [...new Set(envHosts)]
        : resolveDockerHosts([], env);

  const policiesFlag = flags.policies ?? fromEnv('BRIG_POLICIES');
  const policiesDir = policiesFlag
    ? at(policiesFlag)
    : isDirectory(at('policies'))
      ? at('policies')
      : path.join(configHome(env), 'policies');

  // Each source's text is parsed once, here; config.toml's was parsed when the file was read.
  const listenText = flags.listen ?? fromEnv('BRIG_LISTEN');
  const listenFrom = flags.listen !== undefined ? `--listen ${flags.listen}` : `BRIG_LISTEN=${listenText}`;
  let listen: ListenAddress | undefined;
  let listenNamed = '';
  if (listenText !== undefined) {
    listen = parseListen(listenText);
    if (!listen) throw new ConfigError(`${listenFrom}: ${listenSyntax}`, 'usage');
    listenNamed = listenFrom;
  } else if (config.intake.listen) {
    listen = config.intake.listen;
    listenNamed = `intake.listen = "${formatListen(listen)}"`;
  }
  const tokenFileRaw = flags.tokenFile ?? fromEnv('BRIG_TOKEN_FILE') ?? config.intake.token_file;
  const tokenFile = tokenFileRaw ? at(tokenFileRaw) : undefined;
  const refusal = listen && listenRefusal(listen, tokenFile !== undefined, listenNamed);
  if (refusal) throw new ConfigError(refusal);
  const journalRaw = flags.journal ?? fromEnv('BRIG_JOURNAL') ?? config.journal.file;

  return {
    dockerHosts,
    policiesDir,
    arm: flags.arm || flag('BRIG_ARM'),
    dryRun: flags.dryRun || flag('BRIG_DRY_RUN'),
    ...(listen ? { listen } : {}),
    ...(tokenFile ? { tokenFile } : {}),
    ...(flags.alerts !== undefined ? { alerts: flags.alerts === '-' ? '-' : at(flags.alerts) } : {}),
    journalFile: journalRaw ? at(journalRaw) : defaultJournalPath(env),
    ...(flags.replay !== undefined ? { replay: at(flags.replay) } : {}),
    readOnly: flags.readOnly || flag('BRIG_READ_ONLY'),
    headless: flags.headless,
    config,
    ...(configFile ? { configFile } : {}),
  };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
