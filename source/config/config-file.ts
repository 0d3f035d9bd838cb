import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { DetectorsConfigSchema } from '../detect/config.js';
import { ActionNameSchema } from '../domain/action.js';
import { listenSyntax, parseListen, type ListenAddress } from './listen-address.js';
import { defaultReloadQuietMs } from './policy-watcher.js';
import { fieldIssues, fieldText, locatedMessage } from './field-issues.js';
import { parseTomlDocument, TomlSyntaxError, type TomlDocument, type TomlPath } from './toml-document.js';
import { SeverityWordsConfigSchema } from '../domain/severity.js';
import { ConfigError } from './config-error.js';
import { envSectionOf, envSections, parseBoolean } from './config-names.js';

/** Parsed once, here: settings take the address as it is. */
const listen = z.string().transform((value, ctx): ListenAddress => {
  const address = parseListen(value);
  if (!address) ctx.addIssue({ code: 'custom', message: listenSyntax });
  return address ?? { host: '', port: 0 };
});
const positiveInt = z.number().int().positive();

/** `[detectors]`: the detectors' own schema (source/detect/config.ts), with its defaults and strictness. */
export function detectorsSchema() {
  return DetectorsConfigSchema;
}

export const NotifyConfigSchema = z.strictObject({
  kind: z.enum(['webhook', 'slack']),
  url: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }),
  timeout_ms: positiveInt.default(5000),
  /** Further attempts after the first, with backoff, on a network error, a timeout, 429 or 5xx. */
  retries: z.number().int().min(0).max(10).default(3),
  /** "failed": only failed actions; "any" (default): every action record. */
  min_result: z.enum(['failed', 'any']).optional(),
  /** Only these actions (default: all). */
  actions: z.array(ActionNameSchema).optional(),
});
export type NotifyConfig = z.infer<typeof NotifyConfigSchema>;

/** config.toml (README "Configuration"). Strict: an unknown key is an error, so a typo is never ignored. */
export const ConfigSchema = z.strictObject({
  guard: z
    .strictObject({
      /** Globs over container names that Brig never acts on. */
      protect_names: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  executor: z
    .strictObject({
      action_timeout_secs: z.number().positive().default(30),
      retry_max_attempts: positiveInt.default(3),
      retry_backoff_base_ms: z.number().int().min(0).default(500),
      max_concurrent_actions: positiveInt.default(10),
    })
    .prefault({}),
  intake: z
    .strictObject({
      listen: listen.optional(),
      token_file: z.string().min(1).optional(),
      max_body_bytes: positiveInt.default(1024 * 1024),
      queue_capacity: positiveInt.default(10_000),
      max_line_bytes: positiveInt.default(1024 * 1024),
      /** Alertmanager severity words added to the table (README): `{ sev0 = "Critical" }`. */
      severity_words: SeverityWordsConfigSchema,
      /** How long the operator's answer to an alert (restored, skipped, vetoed) holds unless it resolves. */
      answered_window_secs: z
        .number()
        .positive()
        .default(24 * 60 * 60),
    })
    .prefault({}),
  journal: z
    .strictObject({
      file: z.string().min(1).optional(),
      /** Rotate before the file would pass this size. */
      max_bytes: z
        .number()
        .int()
        .min(64 * 1024)
        .default(64 * 1024 * 1024),
    })
    .prefault({}),
  policies: z
    .strictObject({
      /** Hot reload waits until the policy directory has been unchanged this long (README "Policies"). */
      reload_quiet_ms: z.number().int().min(0).default(defaultReloadQuietMs),
    })
    .prefault({}),
  ui: z.strictObject({ theme: z.string().min(1).optional() }).prefault({}),
  /** action → key or keys; checked for clashes by the UI's keymap. */
  keys: z
    .record(
      z.string(),
      z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
        error: 'expected a key or a list of keys',
      }),
    )
    .default({}),
  detectors: detectorsSchema(),
  notify: z.array(NotifyConfigSchema).default([]),
});
export type Config = z.infer<typeof ConfigSchema>;

/** The pure part: TOML text (of `file`, for messages and relative paths) plus env → Config. */
export function parseConfig(text: string, file: string | undefined, env: NodeJS.ProcessEnv): Config {
  const name = file ?? 'config';
  let parsed: TomlDocument;
  try {
    parsed = parseTomlDocument(text);
  } catch (error) {
    if (!(error instanceof TomlSyntaxError)) throw error;
    throw new ConfigError(`${name}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`);
  }
  const doc = parsed.value;
  const overrides = envOverrides(env);
  for (const { section, key, value } of overrides) {
    const table = doc[section];
    const merged = typeof table === 'object' && table !== null && !Array.isArray(table) ? { ...table } : {};
    (merged as Record<string, unknown>)[key] = value;
    doc[section] = merged;
  }
  const result = ConfigSchema.safeParse(doc);
  if (!result.success) {
    const messages = fieldIssues(result.error.issues, { value: doc, knownKeys }).map((issue) => {
      const variable = overrides.find((o) => o.section === issue.path[0] && o.key === issue.path[1]);
      if (variable) return `${variable.variable}=${variable.raw}: ${fieldText(issue.path)}: ${issue.message}`;
      return locatedMessage(name, file ? parsed.lineOf(issue.path) : undefined, issue);
    });
    throw new ConfigError(messages.join('\n'));
  }
  const config = result.data;
  // Paths written in the file are relative to it; those from BRIG_* are left for the caller (cwd).
  const fromEnv = (section: string, key: string) =>
    overrides.some((o) => o.section === section && o.key === key);
  const dir = file ? path.dirname(file) : undefined;
  if (dir && config.journal.file && !fromEnv('journal', 'file'))
    config.journal.file = resolvePath(config.journal.file, dir, env);
  if (dir && config.intake.token_file && !fromEnv('intake', 'token_file'))
    config.intake.token_file = resolvePath(config.intake.token_file, dir, env);
  return config;
}

function resolvePath(value: string, base: string, env: NodeJS.ProcessEnv): string {
  if (value === '~' || value.startsWith('~/')) return path.join(env.HOME || os.homedir(), value.slice(1));
  return path.resolve(base, value);
}

type Scalar = 'number' | 'string' | 'boolean' | 'strings';
interface Override {
  variable: string;
  raw: string;
  section: string;
  key: string;
  value: unknown;
}

/** Every BRIG_<SECTION>_<KEY> variable Brig reads, with the config key it sets. */
export function envKeys(): { variable: string; section: string; key: string; kind: Scalar }[] {
  const out: { variable: string; section: string; key: string; kind: Scalar }[] = [];
  for (const section of envSections) {
    const shape = objectShape(ConfigSchema.shape[section]);
    for (const [key, schema] of Object.entries(shape ?? {})) {
      const kind = scalarKind(schema);
      if (kind)
        out.push({ variable: `BRIG_${section.toUpperCase()}_${key.toUpperCase()}`, section, key, kind });
    }
  }
  return out;
}

function envOverrides(env: NodeJS.ProcessEnv): Override[] {
  const keys = envKeys();
  const known = new Set(keys.map((k) => k.variable));
  for (const variable of Object.keys(env)) {
    const section = envSectionOf(variable);
    if (section && !known.has(variable)) {
      const valid = keys.filter((k) => k.section === section).map((k) => k.variable);
      throw new ConfigError(`${variable}: not a config setting; [${section}] takes ${valid.join(', ')}`);
    }
  }
  const overrides: Override[] = [];
  for (const { variable, section, key, kind } of keys) {
    const raw = env[variable];
    if (raw === undefined) continue;
    const value = parseEnvValue(raw, kind);
    if (value === undefined) {
      throw new ConfigError(`${variable}=${raw}: ${section}.${key}: expected ${expectedText[kind]}`);
    }
    overrides.push({ variable, raw, section, key, value });
  }
  return overrides;
}

const expectedText: Record<Scalar, string> = {
  number: 'a number',
  string: 'a value',
  boolean: 'true or false',
  strings: 'a comma-separated list',
};

/** A BRIG_* value as the type its config key wants; undefined = not that type. */
export function parseEnvValue(raw: string, kind: Scalar): unknown {
  const value = raw.trim();
  switch (kind) {
    case 'number':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(value) ? Number(value) : undefined;
    case 'boolean':
      return parseBoolean(value);
    case 'strings':
      return value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    case 'string':
      return value.length > 0 ? value : undefined;
  }
}

// Zod introspection, just enough to list scalar keys and the keys a table accepts.
interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (
    let def = defOf(s);
    ['optional', 'default', 'prefault', 'nullable', 'pipe'].includes(def.type);
    def = defOf(s)
  ) {
    // A transform (pipe) reads as what it takes in: intake.listen is a string in the file.
    s = def.type === 'pipe' ? def.in! : def.innerType!;
  }
  return s;
}

function objectShape(schema: z.ZodType | undefined): Record<string, z.ZodType> | undefined {
  if (!schema) return undefined;
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? def.shape : undefined;
}

function scalarKind(schema: z.ZodType): Scalar | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'number' || def.type === 'string' || def.type === 'boolean') return def.type;
  if (def.type === 'array' && def.element && defOf(unwrap(def.element)).type === 'string') return 'strings';
  return undefined;
}

/** The keys the table at `at` accepts, for "unknown key" messages. */
function knownKeys(at: TomlPath): readonly string[] | undefined {
  let schema: z.ZodType | undefined = ConfigSchema;
  for (const part of at) {
    if (!schema) return undefined;
    const def = defOf(unwrap(schema));
    if (def.type === 'object') schema = def.shape?.[String(part)];
    else if (def.type === 'array') schema = def.element;
    else return undefined;
  }
  const shape = objectShape(schema);
  return shape ? Object.keys(shape) : undefined;
}
