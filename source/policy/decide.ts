import type { ActionSpec } from '../domain/action.js';
import type { Alert } from '../domain/alert.js';
import type { Container } from '../domain/container.js';
import type { Decision, TraceStep, Verdict } from '../domain/decision.js';
import type { PostureLevel } from '../domain/snapshot.js';
import type { CompiledPolicy, CompiledPolicySet } from './compile.js';
import type { ContainerSubjects } from './compile.js';
import { filterMatches, filterMismatch, subjectsOf } from './compile.js';
import type { Matcher } from './glob.js';
import { compileGlobs } from './glob.js';
import { alreadyReason, networkImpossibility, protectionReason } from './rails.js';
import { resolveReference } from './resolve-container.js';

export { resolveContainer } from './resolve-container.js';

/** What the engine remembers per policy; decide() only reads it. */
export interface PolicyHistory {
  /** Epoch ms of this policy's last action on this container, for cooldown_secs. */
  lastActionAt(policyId: string, containerId: string): number | undefined;
  /** Actions this policy took in the hour before `now`, for max_actions_per_hour. */
  actionsInLastHour(policyId: string, now: number): number;
  /** Times this policy acted on this container (0 = never), for escalation. */
  escalationStep(policyId: string, containerId: string): number;
}

export interface DecideContext {
  /** Host-level alerts only select containers with state === 'running' && !stale. */
  inventory: readonly Container[];
  armed: boolean;
  dryRun: boolean;
  /** guard.protect_names: globs over container name. */
  protectNames: readonly string[];
  /** Brig's own container: always protected. */
  selfContainerId?: string;
  /** Epoch ms. */
  now: number;
  history: PolicyHistory;
  /** Runtime toggles (TUI `e`). */
  disabledPolicies?: ReadonlySet<string>;
  /** For target_filter.posture_below. */
  posture?: (containerId: string) => PostureLevel | undefined;
}

export interface DecideResult {
  decisions: Decision[];
  trace: TraceStep[];
}

/** A history with nothing in it: `brig explain` decides "as if armed with empty history". */
export const emptyHistory: PolicyHistory = {
  lastActionAt: () => undefined,
  actionsInLastHour: () => 0,
  escalationStep: () => 0,
};

/**
 * Decide what to do about one alert (DESIGN §5). Pure and synchronous: everything it depends on
 * is passed in, so the engine, `brig explain` and the TUI get the same answer for the same input.
 */
export function decide(alert: Alert, policies: CompiledPolicySet, ctx: DecideContext): DecideResult {
  const trace: TraceStep[] = [];
  const decisions: Decision[] = [];
  const matches = policies.alertMatches(alert.severity, alert.source, alert.rule);
  const rails = new Rails(alert, ctx);

  let target: Container | undefined;
  if (alert.container) {
    const resolved = resolveReference(alert.container, ctx.inventory);
    if (!resolved.ok)
      return { decisions: [noDecision(alert, resolved.verdict, null, resolved.reason)], trace: [] };
    target = resolved.container;
  }

  let candidates = 0;
  let running: Scannable[] | undefined;
  for (const { compiled, skipStep } of matches) {
    const id = compiled.policy.id;
    if (skipStep !== undefined) {
      trace.push(skipStep);
      continue;
    }
    if (ctx.disabledPolicies?.has(id)) {
      trace.push({ policy: id, outcome: 'skipped', reason: 'disabled at runtime' });
      continue;
    }
    candidates++;
    if (target) {
      const mismatch = filterMismatch(compiled, target, ctx.posture);
      if (mismatch !== undefined) {
        trace.push({ policy: id, outcome: 'skipped', reason: `target filter: ${mismatch}` });
        continue;
      }
      decisions.push(rails.decision(compiled, target));
      trace.push({ policy: id, outcome: 'decided', reason: `matches ${target.name}` });
    } else {
      running ??= scannable(ctx.inventory);
      const targets = hostTargets(compiled, running, ctx.posture);
      if (targets.length === 0) {
        trace.push({ policy: id, outcome: 'skipped', reason: 'target filter: no running container matches' });
        continue;
      }
      const max = compiled.policy.max_targets;
      if (targets.length > max) {
        decisions.push({
          alert: alert.id,
          policy: id,
          container: null,
          action: rails.actionFor(compiled, undefined).action,
          verdict: 'blast-radius',
          reason: `${targets.length} running containers match, more than max_targets = ${max}: suppressed`,
        });
        trace.push({ policy: id, outcome: 'decided', reason: `blast radius: ${targets.length} > ${max}` });
      } else {
        for (const c of targets) decisions.push(rails.decision(compiled, c));
        trace.push({
          policy: id,
          outcome: 'decided',
          reason: `matches ${targets.map((c) => c.name).join(', ')}`,
        });
      }
    }
    // First match wins, unless the policy chains on (`continue = true`).
    if (!compiled.policy.continue) break;
  }

  if (decisions.length === 0) {
    if (target) {
      const reason =
        candidates === 0
          ? `no policy matches rule "${alert.rule}" at ${alert.severity}`
          : `no matching policy's target filter selects ${target.name}`;
      decisions.push(noDecision(alert, 'no-match', target, reason));
    } else if (candidates === 0) {
      decisions.push(
        noDecision(alert, 'no-match', null, `no policy matches rule "${alert.rule}" at ${alert.severity}`),
      );
    } else {
      decisions.push(
        noDecision(
          alert,
          'no-target',
          null,
          `host-level alert: no running container matches the target filter`,
        ),
      );
    }
  }
  return { decisions, trace };
}

/** Running, non-stale containers with their glob subjects: what host-level policies scan. */
interface Scannable {
  container: Container;
  subjects: ContainerSubjects;
}

function scannable(inventory: readonly Container[]): Scannable[] {
  const out: Scannable[] = [];
  for (const c of inventory)
    if (c.state === 'running' && !c.stale) out.push({ container: c, subjects: subjectsOf(c) });
  return out;
}

/**
 * A host-level policy's targets: the running containers its filter matches, sorted by name
 * (DESIGN §5). Ids and engines break name ties (two engines may both have a "web-1"), so the order
 * never depends on the inventory's order. Only the matches are sorted: usually a handful.
 */
function hostTargets(
  compiled: CompiledPolicy,
  running: readonly Scannable[],
  posture: DecideContext['posture'],
): Container[] {
  const targets: Container[] = [];
  for (const { container, subjects } of running) {
    if (filterMatches(compiled, container, posture, subjects)) targets.push(container);
  }
  return targets.sort((a, b) => cmp(a.name, b.name) || cmp(a.id, b.id) || cmp(a.engine, b.engine));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function noDecision(alert: Alert, verdict: Verdict, container: Container | null, reason: string): Decision {
  return {
    alert: alert.id,
    policy: null,
    container: container ? { id: container.id, name: container.name } : null,
    action: null,
    verdict,
    reason,
  };
}

// Keyed by content, not identity: a caller editing its protect list in place still gets it right.
const protectMatchers = new Map<string, Matcher | undefined>();

/** The guard rails of DESIGN §5, applied in order to each (policy, target) pair of one alert. */
class Rails {
  private readonly protectNames: Matcher | undefined;
  /** Actions this alert has already sent to execution, per policy: they count against the rate limit. */
  private readonly acted = new Map<string, number>();

  constructor(
    private readonly alert: Alert,
    private readonly ctx: DecideContext,
  ) {
    const key = ctx.protectNames.join('\u0000');
    let matcher = protectMatchers.get(key);
    if (!protectMatchers.has(key)) {
      matcher = compileGlobs(ctx.protectNames);
      if (protectMatchers.size > 64) protectMatchers.clear();
      protectMatchers.set(key, matcher);
    }
    this.protectNames = matcher;
  }

  actionFor(
    compiled: CompiledPolicy,
    container: Container | undefined,
  ): { action: ActionSpec; step?: number } {
    const p = compiled.policy;
    if (p.escalation.length === 0) return { action: p.action! };
    const taken = container ? this.ctx.history.escalationStep(p.id, container.id) : 0;
    const step = Math.min(Math.max(0, taken), p.escalation.length - 1);
    return { action: p.escalation[step]!, step };
  }

  decision(compiled: CompiledPolicy, container: Container): Decision {
    const p = compiled.policy;
    const ctx = this.ctx;
    const { action, step } = this.actionFor(compiled, container);
    const base = {
      alert: this.alert.id,
      policy: p.id,
      container: { id: container.id, name: container.name },
      action,
      ...(step === undefined ? {} : { step }),
    };
    const verdict = (v: Verdict, reason: string, extra: Partial<Decision> = {}): Decision => ({
      ...base,
      verdict: v,
      reason,
      ...extra,
    });
    const what = `${action.kind}${step === undefined ? '' : ` (escalation step ${step + 1} of ${p.escalation.length})`}`;

    const protectedWhy = protectionReason(container, this.protectNames, ctx.selfContainerId);
    if (protectedWhy) return verdict('protected', `protected: ${protectedWhy}`);
    const impossible = networkImpossibility(action, container);
    if (impossible) return { ...verdict('no-target', impossible) };
    const already = alreadyReason(action, container);
    if (already) return verdict('already', already);
    if (ctx.dryRun) return verdict('dry-run', `would ${what} ${container.name}: global dry-run`);
    if (p.mode === 'dry-run') return verdict('dry-run', `would ${what} ${container.name}: policy is dry-run`);
    if (!ctx.armed) return verdict('disarmed', `${what} ${container.name} waits for the operator: disarmed`);

    const last = ctx.history.lastActionAt(p.id, container.id);
    if (p.cooldown_secs > 0 && last !== undefined && ctx.now - last < p.cooldown_secs * 1000) {
      const ago = Math.max(0, Math.round((ctx.now - last) / 1000));
      return verdict('cooldown', `acted on ${container.name} ${ago}s ago; cooldown is ${p.cooldown_secs}s`);
    }
    const max = p.max_actions_per_hour;
    if (max !== undefined) {
      const used = ctx.history.actionsInLastHour(p.id, ctx.now) + (this.acted.get(p.id) ?? 0);
      if (used >= max)
        return verdict('rate-limited', `${used} actions in the last hour; max_actions_per_hour is ${max}`);
    }
    this.acted.set(p.id, (this.acted.get(p.id) ?? 0) + 1);
    if (p.grace_period_secs > 0) {
      return verdict('pending', `${what} ${container.name} in ${p.grace_period_secs}s unless vetoed`, {
        deadline: ctx.now + p.grace_period_secs * 1000,
      });
    }
    return verdict('execute', `${what} ${container.name} now: armed, no guard rail applies`);
  }
}
