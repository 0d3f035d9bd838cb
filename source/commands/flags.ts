import type { AnyFlags, TypedFlags } from 'meow';

/** The command line (README "CLI"), shared by every subcommand; the flag types derive from it. */
export const flagSpec = {
  dockerHost: { type: 'string', isMultiple: true, default: [] },
  policies: { type: 'string' },
  config: { type: 'string' },
  arm: { type: 'boolean', default: false },
  dryRun: { type: 'boolean', default: false },
  listen: { type: 'string' },
  tokenFile: { type: 'string' },
  alerts: { type: 'string' },
  journal: { type: 'string' },
  replay: { type: 'string' },
  readOnly: { type: 'boolean', default: false },
  headless: { type: 'boolean', default: false },
  inventory: { type: 'string' },
  json: { type: 'boolean', default: false },
  run: { type: 'boolean', default: false },
} as const satisfies AnyFlags;

/** Flags meow handles itself, beside those of flagSpec. */
export const builtinFlags = ['help', 'version'] as const;

type Parsed = TypedFlags<typeof flagSpec>;
type Optional<T> = {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
} & { [K in keyof T as undefined extends T[K] ? never : K]: T[K] };

/** The parsed flags: a flag without a default is optional. */
export type CliFlags = Optional<Parsed>;

export interface CommandContext {
  /** Positional arguments after the subcommand name. */
  args: string[];
  flags: CliFlags;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}
