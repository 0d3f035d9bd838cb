import { z } from 'zod';
import type { ActionSpec } from './action.js';
import { severities, SeverityInputSchema } from './severity.js';
import { PostureLevelSchema } from './snapshot.js';

/**
 * A policy file (DESIGN §3): ironpost's format unchanged plus Brig's additions. The schema accepts
 * the TOML as users write it (snake_case keys, any casing of severity and action names) and yields
 * the normalized Policy the decision engine uses (canonical severity, ActionSpec actions, defaults
 * filled in). Unknown keys are errors everywhere: a typo must never silently weaken a policy.
 */

/** The TOML action names, in the casing ironpost uses. */
export const policyActionNames = [
  'Pause',
  'Stop',
  'Kill',
  'Restart',
  'NetworkDisconnect',
  'Quarantine',
  'Throttle',
  'Notify',
  'Capture',
] as const;
export type PolicyActionName = (typeof policyActionNames)[number];

const kindOfName: Record<PolicyActionName, ActionSpec['kind']> = {
  Pause: 'pause',
  Stop: 'stop',
  Kill: 'kill',
  Restart: 'restart',
  NetworkDisconnect: 'network-disconnect',
  Quarantine: 'quarantine',
  Throttle: 'throttle',
  Notify: 'notify',
  Capture: 'capture',
};

/** "pause", "PAUSE", "network-disconnect", "network_disconnect", "NetworkDisconnect" → canonical. */
const byFoldedName = new Map<string, PolicyActionName>(
  policyActionNames.map((name) => [name.toLowerCase(), name] as const),
);
export function canonicalActionName(value: string): PolicyActionName | undefined {
  return byFoldedName.get(value.replace(/[-_\s]/g, '').toLowerCase());
}

/** Throttle defaults when an escalation step or `action = "throttle"` gives no parameters. */
export const defaultThrottle = { cpus: 0.1, pidsLimit: 64 } as const;

const units: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Docker's memory notation: bytes as an integer, or "128m", "1g", "512k", "1.5g" (binary units). */
export function parseMemory(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * units[m[2]!.toLowerCase()]!);
  return bytes > 0 ? bytes : undefined;
}

const MemorySchema = z.union([
  z.int().positive(),
  z.string().transform((value, ctx) => {
    const bytes = parseMemory(value);
    if (bytes === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected bytes or a size like "128m" or "1g", got "${value}"`,
      });
      return z.NEVER;
    }
    return bytes;
  }),
]);

/** `Pause = []` (ironpost's form) or a table of parameters (`{}` for none). */
const EmptyList = z.array(z.never()).max(0);
const withParams = <T extends z.core.$ZodLooseShape>(shape: T) => z.union([EmptyList, z.strictObject(shape)]);

const timeout = { timeout_secs: z.int().min(0).optional() };
const ActionParamSchemas = {
  Pause: withParams({}),
  Stop: withParams(timeout),
  Kill: withParams({
    signal: z
      .string()
      .regex(/^(SIG)?[A-Z0-9+-]+$|^\d+$/, 'expected a signal name like "SIGKILL"')
      .optional(),
  }),
  Restart: withParams(timeout),
  NetworkDisconnect: withParams({ networks: z.array(z.string().min(1)).optional() }),
  Quarantine: withParams({ network: z.string().min(1).optional() }),
  Throttle: withParams({
    cpus: z.number().positive().optional(),
    pids_limit: z.int().positive().optional(),
    memory: MemorySchema.optional(),
  }),
  Notify: withParams({}),
  Capture: withParams({}),
} as const;

/** The parameter names each action table accepts (for "unknown key; expected one of …"). */
export const actionParamKeys: Record<PolicyActionName, readonly string[]> = {
  Pause: [],
  Stop: ['timeout_secs'],
  Kill: ['signal'],
  Restart: ['timeout_secs'],
  NetworkDisconnect: ['networks'],
  Quarantine: ['network'],
  Throttle: ['cpus', 'pids_limit', 'memory'],
  Notify: [],
  Capture: [],
};

type Params = Record<string, unknown> | unknown[];

/** Canonical name + its (validated) parameters → the ActionSpec the executor understands. */
function toActionSpec(name: PolicyActionName, params: Params | undefined): ActionSpec {
  const p = (Array.isArray(params) || params === undefined ? {} : params) as Record<string, never>;
  switch (name) {
    case 'Pause':
      return { kind: 'pause' };
    case 'Stop':
      return { kind: 'stop', timeoutSecs: p.timeout_secs ?? 10 };
    case 'Kill':
      return { kind: 'kill', signal: normalizeSignal(p.signal ?? 'SIGKILL') };
    case 'Restart':
      return { kind: 'restart', timeoutSecs: p.timeout_secs ?? 10 };
    case 'NetworkDisconnect':
      return { kind: 'network-disconnect', networks: p.networks ?? [] };
    case 'Quarantine':
      return { kind: 'quarantine', network: p.network ?? 'brig-quarantine' };
    case 'Throttle': {
      const given = p.cpus !== undefined || p.pids_limit !== undefined || p.memory !== undefined;
      if (!given) return { kind: 'throttle', ...defaultThrottle };
      return { kind: 'throttle', cpus: p.cpus, pidsLimit: p.pids_limit, memory: p.memory };
    }
    case 'Notify':
      return { kind: 'notify' };
    case 'Capture':
      return { kind: 'capture' };
  }
}

function normalizeSignal(signal: string): string {
  return /^\d+$/.test(signal) || signal.startsWith('SIG') ? signal : `SIG${signal}`;
}

/** Map table keys to canonical action names whatever their casing; unknown keys stay (and fail). */
function canonicalizeActionInput(value: unknown): unknown {
  if (typeof value === 'string') {
    const name = canonicalActionName(value);
    return name ? kindOfName[name] : value;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [canonicalActionName(k) ?? k, v]));
  }
  return value;
}

const ActionTableSchema = z
  .strictObject({
    Pause: ActionParamSchemas.Pause.optional(),
    Stop: ActionParamSchemas.Stop.optional(),
    Kill: ActionParamSchemas.Kill.optional(),
    Restart: ActionParamSchemas.Restart.optional(),
    NetworkDisconnect: ActionParamSchemas.NetworkDisconnect.optional(),
    Quarantine: ActionParamSchemas.Quarantine.optional(),
    Throttle: ActionParamSchemas.Throttle.optional(),
    Notify: ActionParamSchemas.Notify.optional(),
    Capture: ActionParamSchemas.Capture.optional(),
  })
  .transform((table, ctx) => {
    const names = policyActionNames.filter((name) => table[name] !== undefined);
    if (names.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          names.length === 0
            ? `expected exactly one action: ${policyActionNames.join(', ')}`
            : `expected exactly one action, got ${names.join(' and ')}`,
      });
      return z.NEVER;
    }
    const name = names[0]!;
    return toActionSpec(name, table[name] as Params);
  });

/** `action = "pause"` (any casing), `[action] Pause = []`, or an escalation entry of either form. */
export const PolicyActionSchema = z.preprocess(
  canonicalizeActionInput,
  z.union([
    z
      .enum([...policyActionNames, ...Object.values(kindOfName)] as [string, ...string[]], {
        error: (issue) =>
          typeof issue.input === 'string'
            ? `unknown action "${issue.input}": expected one of ${policyActionNames.join(', ')}`
            : undefined,
      })
      .transform((name) => toActionSpec(canonicalActionName(name)!, undefined)),
    ActionTableSchema,
  ]),
);

const lowerCased = (value: unknown): unknown => (typeof value === 'string' ? value.toLowerCase() : value);

const GlobListSchema = z.array(z.string().min(1, 'an empty glob matches nothing')).default([]);

export const TargetFilterSchema = z.strictObject({
  container_names: GlobListSchema,
  image_patterns: GlobListSchema,
  /** "key=glob" (label value matches) or "key" (label present). */
  labels: z.array(z.string().regex(/^[^=]+(=.*)?$/, 'expected "key" or "key=glob"')).default([]),
  /** Only containers whose posture (`brig audit`, README "Posture audit") is below this level. */
  posture_below: z.preprocess(lowerCased, PostureLevelSchema).optional(),
});
export type TargetFilter = z.infer<typeof TargetFilterSchema>;

/** A JSON Schema pattern accepting the words in any casing ("high", "HIGH", "High"). */
function caseInsensitiveAlternatives(words: readonly string[]): string {
  const fold = (w: string) =>
    [...w].map((ch) => (/[a-z]/i.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch)).join('');
  return `^(${words.map(fold).join('|')})$`;
}

export const policyIdPattern = /^[A-Za-z0-9._-]+$/;

export const PolicySchema = z
  .strictObject({
    id: z.string().regex(policyIdPattern, 'expected letters, digits, ".", "_" or "-" only'),
    name: z.string().min(1),
    description: z.string().default(''),
    enabled: z.boolean().default(true),
    severity_threshold: SeverityInputSchema.meta({
      description: 'Info < Low < Medium < High < Critical (any casing)',
      pattern: caseInsensitiveAlternatives(severities),
    }).default('Info'),
    /** Lower is evaluated first; ties broken by id. */
    priority: z.int().default(100),
    rules: GlobListSchema,
    sources: GlobListSchema,
    mode: z.preprocess(lowerCased, z.enum(['enforce', 'dry-run'])).default('enforce'),
    cooldown_secs: z.number().min(0).default(0),
    /** Absent: no limit. */
    max_actions_per_hour: z.int().min(0).optional(),
    grace_period_secs: z.number().min(0).default(0),
    max_targets: z.int().min(1).default(1),
    continue: z.boolean().default(false),
    /** When the alert that made this policy act resolves (Alertmanager), restore the container. */
    restore_on_resolve: z.boolean().default(false),
    escalation: z.array(PolicyActionSchema).default([]),
    target_filter: TargetFilterSchema.default({
      container_names: [],
      image_patterns: [],
      labels: [],
    }),
    action: PolicyActionSchema.optional(),
    /** Capture evidence (DESIGN §13) after the action succeeds; the action never waits for it. */
    capture: z.boolean().default(false),
  })
  .superRefine((policy, ctx) => {
    if (policy.capture && policy.action?.kind === 'capture' && policy.escalation.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['capture'],
        message: 'capture = true with action Capture would capture twice: drop one',
      });
    }
    if (policy.action === undefined && policy.escalation.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['action'],
        message: 'expected an [action] table (e.g. Pause = []), action = "pause", or an escalation list',
      });
    }
  });
export type PolicyInput = z.input<typeof PolicySchema>;
export type Policy = z.output<typeof PolicySchema>;

/** A file holds one policy (ironpost) or many as [[policies]]; both are valid files. */
export const PolicyFileSchema = z.union([
  PolicySchema,
  z.strictObject({ policies: z.array(PolicySchema).min(1).max(1000) }),
]);

/** A validated policy and where it came from (for errors, the TUI and `brig check`). */
export type LoadedPolicy = Policy & { file: string; line: number };

/** The action a policy takes first, as the TUI shows it (e.g. "pause", "throttle→pause→kill"). */
export function describePolicyAction(policy: Policy): string {
  const then = policy.capture ? '+capture' : '';
  if (policy.escalation.length > 0) return policy.escalation.map((a) => a.kind).join('→') + then;
  return (policy.action?.kind ?? 'none') + then;
}

/**
 * JSON Schema of a policy file (DESIGN §8 `brig schema`), generated from the zod schema so the two
 * never disagree. Input side: what users write, with every accepted form.
 */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PolicyFileSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: schema.$schema,
    title: 'Brig policy file',
    description: 'One policy (ironpost format), or many as [[policies]]. See the README, section "Policies".',
    ...schema,
  };
}
