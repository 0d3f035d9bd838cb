import type { Container } from '../domain/container.js';
import type { TraceStep } from '../domain/decision.js';
import type { LoadedPolicy } from '../domain/policy.js';
import { describePolicyAction } from '../domain/policy.js';
import type { Severity } from '../domain/severity.js';
import { severityRank } from '../domain/severity.js';
import type { PolicySummary, PostureLevel } from '../domain/snapshot.js';
import type { Matcher } from './glob.js';
import { compileGlobs, globSubject } from './glob.js';
import { imageForms } from './image-ref.js';

/** Posture levels from best to worst (DESIGN §11); "below standard" = minimal or none. */
export const postureRank: Record<PostureLevel, number> = { none: 0, minimal: 1, standard: 2, maximum: 3 };

interface LabelTest {
  key: string;
  /** undefined: the label only has to be present. */
  value: Matcher | undefined;
}

/** A policy with its globs compiled once (DESIGN §3), ready for decide(). */
export interface CompiledPolicy {
  readonly policy: LoadedPolicy;
  readonly severityRank: number;
  readonly rules: Matcher | undefined;
  readonly sources: Matcher | undefined;
  readonly names: Matcher | undefined;
  readonly images: Matcher | undefined;
  readonly labels: readonly LabelTest[];
  readonly postureBelow: number | undefined;
}

/** The alert-level verdict of one policy: a candidate, or why not. */
export interface AlertMatch {
  readonly compiled: CompiledPolicy;
  /** undefined = candidate. */
  readonly skip: string | undefined;
  /** The trace step for a skip, built once per memo entry and shared (frozen) by every alert. */
  readonly skipStep: TraceStep | undefined;
}

export interface CompiledPolicySet {
  /** In evaluation order: (priority, id). */
  readonly policies: readonly CompiledPolicy[];
  /** Memoized alert-level matching per (severity, source, rule): the same few rules fire over and over. */
  alertMatches(severity: Severity, source: string, rule: string): readonly AlertMatch[];
}

const MEMO_LIMIT = 4096;

export function compilePolicies(policies: readonly LoadedPolicy[]): CompiledPolicySet {
  const ordered = [...policies]
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(compileOne);
  const memo = new Map<string, readonly AlertMatch[]>();
  return {
    policies: ordered,
    alertMatches(severity, source, rule) {
      const key = `${severity}\u0000${source}\u0000${rule}`;
      let matches = memo.get(key);
      if (!matches) {
        const rank = severityRank(severity);
        const ruleSubject = globSubject(rule);
        const sourceSubject = globSubject(source);
        matches = ordered.map((compiled) => {
          const skip = alertSkipReason(compiled, severity, rank, ruleSubject, sourceSubject, rule, source);
          const skipStep =
            skip === undefined
              ? undefined
              : Object.freeze({ policy: compiled.policy.id, outcome: 'skipped' as const, reason: skip });
          return { compiled, skip, skipStep };
        });
        // Bounded: a flood of unique rule names must not grow memory without limit.
        if (memo.size >= MEMO_LIMIT) memo.clear();
        memo.set(key, matches);
      }
      return matches;
    },
  };
}

function alertSkipReason(
  c: CompiledPolicy,
  severity: Severity,
  rank: number,
  ruleSubject: string,
  sourceSubject: string,
  rule: string,
  source: string,
): string | undefined {
  const p = c.policy;
  if (!p.enabled) return 'disabled';
  if (rank < c.severityRank) return `severity ${severity} is below the threshold ${p.severity_threshold}`;
  if (c.rules && !c.rules(ruleSubject)) return `rule "${rule}" matches none of ${p.rules.join(', ')}`;
  if (c.sources && !c.sources(sourceSubject))
    return `source "${source}" matches none of ${p.sources.join(', ')}`;
  return undefined;
}

function compileOne(policy: LoadedPolicy): CompiledPolicy {
  const f = policy.target_filter;
  return {
    policy,
    severityRank: severityRank(policy.severity_threshold),
    rules: compileGlobs(policy.rules),
    sources: compileGlobs(policy.sources),
    names: compileGlobs(f.container_names),
    images: compileGlobs(f.image_patterns),
    labels: f.labels.map((label) => {
      const eq = label.indexOf('=');
      if (eq < 0) return { key: label, value: undefined };
      return { key: label.slice(0, eq), value: compileGlobs([label.slice(eq + 1)]) ?? (() => true) };
    }),
    postureBelow: f.posture_below === undefined ? undefined : postureRank[f.posture_below],
  };
}

/** What a target filter needs of a container, computed once per container object. */
export interface ContainerSubjects {
  /** What they were computed from: recomputed if a caller edits a container in place. */
  from: { name: string; image: string };
  name: string;
  images: string[];
}
const subjects = new WeakMap<Container, ContainerSubjects>();

export function subjectsOf(container: Container): ContainerSubjects {
  let s = subjects.get(container);
  if (!s || s.from.name !== container.name || s.from.image !== container.image) {
    s = {
      from: { name: container.name, image: container.image },
      name: globSubject(container.name),
      images: imageForms(container.image).map(globSubject),
    };
    subjects.set(container, s);
  }
  return s;
}

/** The fast yes/no of filterMismatch, for scanning a whole inventory (no reason strings built). */
export function filterMatches(
  c: CompiledPolicy,
  container: Container,
  posture: ((containerId: string) => PostureLevel | undefined) | undefined,
  subjects?: ContainerSubjects,
): boolean {
  if (c.names || c.images) {
    const s = subjects ?? subjectsOf(container);
    if (c.names && !c.names(s.name)) return false;
    if (c.images && !s.images.some(c.images)) return false;
  }
  if (c.labels.length > 0 && !labelsMatch(c.labels, container.labels)) return false;
  if (c.postureBelow !== undefined) {
    const level = posture?.(container.id);
    if (level === undefined || postureRank[level] >= c.postureBelow) return false;
  }
  return true;
}

function labelsMatch(tests: readonly LabelTest[], labels: Record<string, string>): boolean {
  return tests.some((test) => {
    const value = Object.hasOwn(labels, test.key) ? labels[test.key] : undefined;
    return value !== undefined && (test.value === undefined || test.value(globSubject(value)));
  });
}

/**
 * Whether a container passes a policy's target filter: undefined when it does, else why not.
 * OR within a list, AND across lists, an empty list is no constraint (DESIGN §3).
 */
export function filterMismatch(
  c: CompiledPolicy,
  container: Container,
  posture: ((containerId: string) => PostureLevel | undefined) | undefined,
): string | undefined {
  if (c.names || c.images) {
    const s = subjectsOf(container);
    if (c.names && !c.names(s.name)) return `name "${container.name}" does not match container_names`;
    if (c.images && !s.images.some((form) => c.images!(form)))
      return `image "${container.image}" does not match image_patterns`;
  }
  if (c.labels.length > 0 && !labelsMatch(c.labels, container.labels))
    return `labels match none of ${c.policy.target_filter.labels.join(', ')}`;
  if (c.postureBelow !== undefined) {
    const level = posture?.(container.id);
    if (level === undefined) return 'posture unknown (posture_below needs an audit)';
    if (postureRank[level] >= c.postureBelow)
      return `posture ${level} is not below ${c.policy.target_filter.posture_below}`;
  }
  return undefined;
}

/** The Policies pane row for a policy. */
export function summarizePolicy(p: LoadedPolicy, enabled: boolean): PolicySummary {
  return {
    id: p.id,
    name: p.name,
    file: p.file,
    priority: p.priority,
    severityThreshold: p.severity_threshold,
    rules: p.rules,
    enabled,
    mode: p.mode,
    action: describePolicyAction(p),
  };
}
