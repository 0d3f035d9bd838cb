#!/usr/bin/env node
import meow from 'meow';
import { CliError, exitCodes } from './commands/exit-codes.js';
import { builtinFlags, flagSpec, type CliFlags, type CommandContext } from './commands/flags.js';

const usage = `
  Usage
    $ brig [options]                  the supervisor (TUI on a terminal)
    $ brig --headless [options]       the same engine, NDJSON records on stdout, no UI
    $ brig check [DIR]                validate policies; errors as file:line; exit 1 if any
    $ brig explain FILE [--inventory INSPECT.json]
                                      decisions for each alert in FILE, as if armed; JSON on stdout
    $ brig audit [--json]             security posture of every container
    $ brig harden LEVEL [--run] -- IMAGE [CMD...]
                                      a container created hardened to LEVEL (minimal|standard|maximum)
    $ brig schema                     JSON Schema of a policy file
    $ brig evidence list|verify DIR   evidence bundles; verify exits 1 naming the first bad file

  Options
    --docker-host URL   engine to watch (repeatable; default DOCKER_HOST, then the local socket)
    --policies DIR      policy directory (default ./policies if present, else $XDG_CONFIG_HOME/brig/policies)
    --config FILE       config file (default $XDG_CONFIG_HOME/brig/config.toml if present)
    --arm               start armed (default: disarmed, always)
    --dry-run           never execute; decisions are proposals
    --listen HOST:PORT  HTTP intake; a non-loopback address requires --token-file
    --token-file FILE   bearer token for every POST
    --alerts PATH|-     NDJSON alerts from a file, FIFO or stdin
    --journal FILE      journal file (default $XDG_STATE_HOME/brig/journal.jsonl)
    --replay FILE       load alerts from FILE as dry-run proposals to step through
    --read-only         the TUI cannot arm or act (viewing only)
    --headless          no UI: NDJSON records on stdout
    --version, --help

  Exit codes: 0 ok, 1 invalid input, 2 usage, 3 Docker engine unreachable.
`;

const subcommands = ['check', 'explain', 'audit', 'harden', 'schema', 'evidence'] as const;
type Subcommand = (typeof subcommands)[number];

async function main(argv: string[]): Promise<number> {
  const cli = meow(usage, {
    importMeta: import.meta,
    argv,
    // Checked below, so an unknown flag gets the usage with it (exit 2).
    allowUnknownFlags: true,
    flags: flagSpec,
  });
  const known = new Set<string>([...Object.keys(flagSpec), ...builtinFlags]);
  const unknown = Object.keys(cli.unnormalizedFlags).filter((f) => !known.has(f) && !known.has(camel(f)));
  if (unknown.length > 0) {
    throw new CliError(
      `brig: unknown option ${unknown.map((f) => (f.length === 1 ? `-${f}` : `--${f}`)).join(', ')}\n${usage}`,
      exitCodes.usage,
    );
  }
  const flags: CliFlags = cli.flags;
  const [first, ...rest] = cli.input;
  const context: CommandContext = {
    args: rest,
    flags,
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  };

  if (first !== undefined && !subcommands.includes(first as Subcommand)) {
    throw new CliError(`brig: unknown command '${first}'\n${usage}`, exitCodes.usage);
  }
  if (flags.alerts !== undefined && flags.alerts === '')
    throw new CliError('brig: --alerts needs a PATH or -', exitCodes.usage);

  switch (first as Subcommand | undefined) {
    case 'check':
      return (await import('./commands/check.js')).checkCommand(context);
    case 'explain':
      return (await import('./commands/explain.js')).explainCommand(context);
    case 'audit':
      return (await import('./commands/audit.js')).auditCommand(context);
    case 'harden':
      return (await import('./commands/harden.js')).hardenCommand(context);
    case 'schema':
      return (await import('./commands/schema.js')).schemaCommand(context);
    case 'evidence':
      return (await import('./commands/evidence.js')).evidenceCommand(context);
    case undefined:
      return (await import('./commands/run.js')).runCommand(context);
  }
}

function camel(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`brig: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = exitCodes.invalid;
    }
  },
);
