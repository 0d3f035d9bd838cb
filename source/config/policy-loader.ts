import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedPolicy } from '../domain/policy.js';
import type { PolicyActionName } from '../domain/policy.js';
import {
  actionParamKeys,
  canonicalActionName,
  PolicySchema,
  policyActionNames,
  TargetFilterSchema,
} from '../domain/policy.js';
import { ioReason } from '../util/io-reason.js';
import { fieldIssues, fieldText } from './field-issues.js';
import { parseTomlDocument, type TomlDocument, type TomlPath } from './toml-document.js';

/** Limits of a policy set (README "Policies"). */
export const maxPolicyFileBytes = 1024 * 1024;
export const maxPolicies = 1000;

export interface PolicyError {
  file: string;
  line?: number;
  message: string;
}

export interface PolicyLoadResult {
  policies: LoadedPolicy[];
  /** Every problem found, sorted by file and line; empty = the set is good. */
  errors: PolicyError[];
  /** Each .toml file read and how many policies it held. */
  files: { file: string; policies: number }[];
}

/** `policies/web.toml:7: severity_threshold: expected one of …` */
export function formatPolicyError(e: PolicyError): string {
  return e.line === undefined ? `${e.file}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
}

/**
 * Load every `.toml` file of a policy directory (not its subdirectories). Never throws: every
 * problem (syntax, schema, duplicate ids, limits) is reported, all of them, not just the first.
 */
export async function loadPolicyDir(dir: string): Promise<PolicyLoadResult> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.toml')).sort();
  } catch (error) {
    return {
      policies: [],
      files: [],
      errors: [{ file: dir, message: ioMessage(error, 'cannot read the policy directory') }],
    };
  }
  const texts: { file: string; text?: string; error?: PolicyError }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const info = await stat(file);
      if (!info.isFile()) continue;
      if (info.size > maxPolicyFileBytes) {
        texts.push({
          file,
          error: { file, message: `file is ${info.size} bytes; policy files are capped at 1 MiB` },
        });
        continue;
      }
      texts.push({ file, text: await readFile(file, 'utf8') });
    } catch (error) {
      texts.push({ file, error: { file, message: ioMessage(error, 'cannot read') } });
    }
  }
  return parsePolicyTexts(texts);
}

/** The pure part of loading, for tests and callers that already hold the texts. */
export function parsePolicyTexts(
  texts: readonly { file: string; text?: string; error?: PolicyError }[],
): PolicyLoadResult {
  const policies: LoadedPolicy[] = [];
  const errors: PolicyError[] = [];
  const files: { file: string; policies: number }[] = [];
  for (const { file, text, error } of texts) {
    if (error) errors.push(error);
    if (text === undefined) continue;
    const result = parsePolicyText(file, text);
    policies.push(...result.policies);
    errors.push(...result.errors);
    files.push({ file, policies: result.policies.length });
  }
  const seen = new Map<string, LoadedPolicy>();
  for (const p of policies) {
    const first = seen.get(p.id);
    if (first) {
      errors.push({
        file: p.file,
        line: p.line,
        message: `id: duplicate policy id "${p.id}" (first defined at ${first.file}:${first.line})`,
      });
    } else {
      seen.set(p.id, p);
    }
  }
  if (policies.length > maxPolicies) {
    errors.push({
      file: texts[0]?.file ?? '',
      message: `${policies.length} policies in all; the limit is ${maxPolicies}`,
    });
  }
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { policies, errors, files };
}

/** One file: a single policy (ironpost) or `[[policies]]`. */
export function parsePolicyText(
  file: string,
  text: string,
): { policies: LoadedPolicy[]; errors: PolicyError[] } {
  let parsed: TomlDocument;
  try {
    parsed = parseTomlDocument(text);
  } catch (error) {
    const { message, line } = error as { message: string; line?: number };
    return { policies: [], errors: [{ file, line, message }] };
  }
  const doc = parsed.value;
  const lineOf = parsed.lineOf;
  const errors: PolicyError[] = [];
  const policies: LoadedPolicy[] = [];

  const validate = (value: unknown, prefix: TomlPath): void => {
    const result = PolicySchema.safeParse(value);
    if (result.success) {
      const line = lineOf([...prefix, 'id']) ?? lineOf(prefix) ?? 1;
      policies.push({ ...result.data, file, line });
      return;
    }
    for (const issue of fieldIssues(result.error.issues, { value: doc, knownKeys: expectedKeys }, prefix)) {
      errors.push({
        file,
        line: lineOf(issue.path) ?? lineOf(prefix),
        message: `${fieldText(issue.path)}: ${issue.message}`,
      });
    }
  };

  if ('policies' in doc) {
    const list = doc.policies;
    const extra = Object.keys(doc).filter((k) => k !== 'policies');
    for (const key of extra) {
      errors.push({
        file,
        line: lineOf([key]),
        message: `${key}: unknown key beside [[policies]] (put it inside a [[policies]] entry)`,
      });
    }
    if (!Array.isArray(list) || list.length === 0) {
      errors.push({ file, line: lineOf(['policies']), message: 'policies: expected [[policies]] tables' });
    } else {
      list.forEach((entry, i) => validate(entry, ['policies', i]));
    }
  } else if (Object.keys(doc).length === 0) {
    errors.push({
      file,
      message: 'no policy in this file: expected id, name and an action, or [[policies]] tables',
    });
  } else {
    validate(doc, []);
  }
  errors.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  return { policies, errors };
}

function ioMessage(error: unknown, what: string): string {
  return `${what}: ${ioReason(error)}`;
}

/** The keys a table at `path` (relative to a policy or [[policies]] entry) accepts. */
function expectedKeys(path: readonly (string | number)[]): readonly string[] | undefined {
  const rel = path[0] === 'policies' && typeof path[1] === 'number' ? path.slice(2) : path;
  const [first, second, third] = rel;
  if (rel.length === 0) return Object.keys(PolicySchema.shape);
  if (rel.length === 1 && first === 'target_filter') return Object.keys(TargetFilterSchema.shape);
  const inAction =
    first === 'action'
      ? rel.slice(1)
      : first === 'escalation' && typeof second === 'number'
        ? rel.slice(2)
        : undefined;
  if (inAction?.length === 0) return policyActionNames;
  if (inAction?.length === 1) {
    const name = canonicalActionName(String(inAction[0] ?? third));
    return name ? actionParamKeys[name as PolicyActionName] : undefined;
  }
  return undefined;
}
