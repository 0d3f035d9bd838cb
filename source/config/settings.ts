import { statSync } from 'node:fs';
import path from 'node:path';
import type { CliFlags } from '../commands/flags.js';
import { isLoopback, parseListen } from '../commands/flags.js';
import { resolveDockerHosts } from '../docker/engine-host.js';
import { defaultJournalPath } from '../journal/journal-path.js';
import { ConfigError, configHome, parseBoolean, type Config } from './config-file.js';

/** Everything the supervisor runs with, resolved once at start. */
export interface Settings {
  dockerHosts: string[];
  policiesDir: string;
  /** Start armed: only ever from --arm or BRIG_ARM. Brig starts disarmed otherwise. */
  arm: boolean;
  dryRun: boolean;
  listen?: { host: string; port: number };
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
 * Precedence: CLI flags > BRIG_* environment > config file > defaults (DESIGN §8). Relative paths are
 * taken from `cwd`. Throws ConfigError naming the flag, variable or config key that is wrong.
 */
export function resolveSettings(
  flags: CliFlags,
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

  const listenSource = flags.listen
    ? { text: flags.listen, name: `--listen ${flags.listen}` }
    : fromEnv('BRIG_LISTEN')
      ? { text: fromEnv('BRIG_LISTEN')!, name: `BRIG_LISTEN=${fromEnv('BRIG_LISTEN')}` }
      : config.intake.listen
        ? { text: config.intake.listen, name: `intake.listen = "${config.intake.listen}"` }
        : undefined;
  let listen: Settings['listen'];
  if (listenSource) {
    try {
      listen = parseListen(listenSource.text);
    } catch {
      throw new ConfigError(`${listenSource.name}: expected HOST:PORT, e.g. 127.0.0.1:7070`);
    }
  }
  const tokenFileRaw = flags.tokenFile ?? fromEnv('BRIG_TOKEN_FILE') ?? config.intake.token_file;
  const tokenFile = tokenFileRaw ? at(tokenFileRaw) : undefined;
  if (listen && listenSource && !isLoopback(listen.host) && !tokenFile) {
    throw new ConfigError(
      `${listenSource.name} is not a loopback address: anyone who reaches it could post alerts. ` +
        'Give a token file (--token-file, BRIG_TOKEN_FILE or intake.token_file), or listen on 127.0.0.1.',
    );
  }
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
