import type { PolicyHistory } from '../policy/decide.js';

const hourMs = 3_600_000;

/**
 * What each policy has done, for cooldown, rate limit and escalation (DESIGN §3). Rebuilt from the
 * journal at start, so a restart does not reset a rate limit or an escalation ladder. The ladder is
 * not reset by a restore: a container that misbehaves again after being let go steps further up.
 */
export class PolicyHistoryStore implements PolicyHistory {
  private readonly last = new Map<string, number>();
  private readonly steps = new Map<string, number>();
  private readonly perPolicy = new Map<string, number[]>();

  record(policyId: string, containerId: string, at: number): void {
    const key = `${policyId}\u0000${containerId}`;
    this.last.set(key, Math.max(at, this.last.get(key) ?? 0));
    this.steps.set(key, (this.steps.get(key) ?? 0) + 1);
    const times = this.perPolicy.get(policyId) ?? [];
    times.push(at);
    // Only the last hour matters: keep the list short.
    while (times.length > 0 && (times[0] as number) < at - hourMs) times.shift();
    this.perPolicy.set(policyId, times);
  }

  lastActionAt(policyId: string, containerId: string): number | undefined {
    return this.last.get(`${policyId}\u0000${containerId}`);
  }

  actionsInLastHour(policyId: string, now: number): number {
    return (this.perPolicy.get(policyId) ?? []).filter((t) => t > now - hourMs).length;
  }

  escalationStep(policyId: string, containerId: string): number {
    return this.steps.get(`${policyId}\u0000${containerId}`) ?? 0;
  }
}
