import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Actions Docker's seccomp JSON accepts (runc maps them onto libseccomp). */
export const SeccompActionSchema = z.enum([
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
]);

const SeccompArgSchema = z.object({
  index: z.number().int().min(0).max(5),
  value: z.number().int().min(0),
  valueTwo: z.number().int().min(0).optional(),
  op: z.enum([
    'SCMP_CMP_NE',
    'SCMP_CMP_LT',
    'SCMP_CMP_LE',
    'SCMP_CMP_EQ',
    'SCMP_CMP_GE',
    'SCMP_CMP_GT',
    'SCMP_CMP_MASKED_EQ',
  ]),
});

/** A seccomp profile in the format `docker run --security-opt seccomp=FILE` reads. */
export const SeccompProfileSchema = z.object({
  comment: z.string().optional(),
  defaultAction: SeccompActionSchema,
  defaultErrnoRet: z.number().int().optional(),
  architectures: z.array(z.string().regex(/^SCMP_ARCH_[A-Z0-9_]+$/)).min(1),
  syscalls: z.array(
    z.object({
      comment: z.string().optional(),
      names: z.array(z.string().regex(/^[a-z0-9_]+$/, 'expected a syscall name')).min(1),
      action: SeccompActionSchema,
      errnoRet: z.number().int().optional(),
      args: z.array(SeccompArgSchema).optional(),
    }),
  ),
});
export type SeccompProfile = z.infer<typeof SeccompProfileSchema>;

/** Profiles that let through every call they do not name: weaker than Docker's own default. */
const permissiveDefaults = new Set(['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY']);

export type SeccompKind =
  | { kind: 'default' }
  | { kind: 'unconfined' }
  | { kind: 'allowlist' }
  | { kind: 'denylist' }
  | { kind: 'unreadable'; detail: string };

/** Classify the seccomp SecurityOpt value(s) of a container (undefined = Docker's default profile). */
export function classifySeccomp(values: readonly (string | undefined)[]): SeccompKind {
  if (values.length === 0) return { kind: 'default' };
  // Docker applies the last one given; look at all, the weakest wins, so nothing hides behind another.
  const kinds = values.map(classifyOne);
  const order: SeccompKind['kind'][] = ['unconfined', 'unreadable', 'denylist', 'allowlist', 'default'];
  return [...kinds].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0]!;
}

/** Profiles are kilobytes of JSON and most containers share one: remember the last few verdicts. */
const verdicts = new Map<string, SeccompKind>();
const maxVerdicts = 32;

function classifyOne(value: string | undefined): SeccompKind {
  const key = value ?? '';
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = classifyText(key.trim());
    if (verdicts.size >= maxVerdicts) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

function classifyText(value: string): SeccompKind {
  let v = value;
  if (v === 'unconfined') return { kind: 'unconfined' };
  if (v === '' || v === 'builtin' || v === 'default') return { kind: 'default' };
  // Podman keeps `seccomp=` as the file path it read: read it too when it is on this host.
  if (v.startsWith('/')) {
    try {
      v = readFileSync(v, 'utf8');
    } catch {
      return { kind: 'unreadable', detail: `profile file ${v} is not readable here` };
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(v);
  } catch {
    return { kind: 'unreadable', detail: 'profile is not JSON' };
  }
  const action = (json as { defaultAction?: unknown })?.defaultAction;
  if (typeof action !== 'string') return { kind: 'unreadable', detail: 'profile has no defaultAction' };
  return permissiveDefaults.has(action) ? { kind: 'denylist' } : { kind: 'allowlist' };
}
