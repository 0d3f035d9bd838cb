import type { z } from 'zod';
import type { TomlPath } from './toml-document.js';

/**
 * Every zod issue of a TOML file (config.toml or a policy file) phrased one way, so both report
 * `file:line: field: what is wrong; expected …`. One message per real problem: unknown keys each
 * get their own path (so their own line), a union (an action string or a table) reports the branch
 * that fits the value's type, and a field that is absent says "missing".
 */
export interface FieldIssue {
  path: TomlPath;
  message: string;
}

export interface IssueContext {
  /** The parsed document the issues are about, to tell a missing field from a wrong one. */
  value: unknown;
  /** The keys the table at `path` accepts, for "unknown key" hints; undefined = do not know. */
  knownKeys(path: TomlPath): readonly string[] | undefined;
}

export function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  context: IssueContext,
  prefix: TomlPath = [],
): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    if (issue.code === 'unrecognized_keys') {
      const known = context.knownKeys(path);
      const hint =
        known === undefined
          ? ''
          : known.length === 0
            ? '; expected none'
            : `; expected one of ${known.join(', ')}`;
      for (const key of issue.keys) out.push({ path: [...path, key], message: `unknown key${hint}` });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const fits = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && mismatch(i)));
      const chosen =
        fits.length > 0
          ? fits.reduce((a, b) => (b.length < a.length ? b : a))
          : issue.errors.find((branch) => branch.some((i) => i.code !== 'invalid_type'));
      if (chosen) out.push(...fieldIssues(chosen, context, path));
      else
        out.push({
          path,
          message: `${missingAt(context.value, path) ? 'missing; ' : ''}expected ${expectedOf(issue.errors)}`,
        });
    } else if (issue.code === 'invalid_type') {
      const found = kindAt(context.value, path);
      out.push({
        path,
        message: `${found === 'nothing' ? 'missing' : `got ${found}`}; expected ${issue.expected}`,
      });
    } else if (issue.code === 'invalid_value' && issue.message.startsWith('Invalid option')) {
      // zod's own wording quotes each value ("a"|"b"); a schema's custom message is kept as written.
      out.push({ path, message: `expected one of ${issue.values.map(String).join(', ')}` });
    } else {
      out.push({ path, message: issue.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}

/** `executor.retry_max_attempts`, `policies[1].action.Kill`. */
export function fieldText(path: TomlPath): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out;
}

/** The one shape of every located message: `file:line: field: message` (line and field when known). */
export function locatedMessage(file: string, line: number | undefined, issue: FieldIssue): string {
  const field = fieldText(issue.path);
  return `${file}${line === undefined ? '' : `:${line}`}: ${field ? `${field}: ` : ''}${issue.message}`;
}

/** What the document holds at `path`, in zod's words: "nothing" when the field is absent. */
function kindAt(value: unknown, path: TomlPath): string {
  let at: unknown = value;
  for (const part of path) {
    if (typeof at !== 'object' || at === null) return 'nothing';
    at = (at as Record<string | number, unknown>)[part];
  }
  if (at === undefined) return 'nothing';
  if (Array.isArray(at)) return 'array';
  if (at instanceof Date) return 'date';
  return at === null ? 'null' : typeof at;
}

function missingAt(value: unknown, path: TomlPath): boolean {
  return kindAt(value, path) === 'nothing';
}

function mismatch(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' || issue.code === 'invalid_value';
}

function expectedOf(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const kinds = new Set<string>();
  for (const branch of branches) {
    for (const i of branch)
      if (i.code === 'invalid_type') kinds.add(i.expected === 'array' ? '[] (empty array)' : i.expected);
  }
  return [...kinds].join(' or ') || 'a different value';
}
