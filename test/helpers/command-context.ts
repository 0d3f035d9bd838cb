import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CliFlags, CommandContext } from '../../source/commands/flags.js';

/** A CommandContext whose stdout/stderr are captured, with no config file. */
export function commandContext(args: string[], flags: Partial<CliFlags> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        into.push(chunk.toString());
        done();
      },
    });
  // A home that does not exist: no config file is found, nothing to clean up.
  const home = join(tmpdir(), 'brig-test-no-home');
  const context: CommandContext = {
    args,
    flags: {
      dockerHost: [],
      arm: false,
      dryRun: false,
      readOnly: false,
      headless: false,
      json: false,
      run: false,
      ...flags,
    },
    env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), PATH: process.env.PATH },
    stdout: sink(out),
    stderr: sink(err),
  };
  return { context, stdout: () => out.join(''), stderr: () => err.join(''), home };
}

/** Runs a brig subcommand in-process with captured output. */
export async function runCommand(
  command: (context: CommandContext) => Promise<number>,
  args: string[],
  flags: Partial<CliFlags> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { context, stdout, stderr } = commandContext(args, flags);
  const code = await command(context);
  return { code, stdout: stdout(), stderr: stderr() };
}
