/** The parsed command line (DESIGN §8), shared by every subcommand. */
export interface CliFlags {
  dockerHost: string[];
  policies?: string;
  config?: string;
  arm: boolean;
  dryRun: boolean;
  listen?: string;
  tokenFile?: string;
  alerts?: string;
  journal?: string;
  replay?: string;
  readOnly: boolean;
  headless: boolean;
  inventory?: string;
  json: boolean;
  run: boolean;
}

export interface CommandContext {
  /** Positional arguments after the subcommand name. */
  args: string[];
  flags: CliFlags;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** HOST:PORT, with [v6]:PORT accepted. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`--listen ${value}: expected HOST:PORT, e.g. 127.0.0.1:7070`);
  return { host: (m[1] ?? m[2])!, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
