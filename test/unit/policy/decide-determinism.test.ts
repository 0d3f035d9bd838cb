import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../source/domain/alert.js';
import type { Container } from '../../../source/domain/container.js';
import { compilePolicies } from '../../../source/policy/compile.js';
import { decide } from '../../../source/policy/decide.js';
import { alert, container, ctx, history, policies } from './fixtures.js';

// A policy set with ties in priority, chains, globs, labels and host-level caps: the cases where
// an order-dependent implementation would show.
const loaded = policies(`
[[policies]]
id = "storm-web"
name = "w"
priority = 10
rules = ["fork_*"]
continue = true
max_targets = 3
action = "pause"
[policies.target_filter]
container_names = ["web-*"]

[[policies]]
id = "storm-any"
name = "a"
priority = 10
rules = ["fork_*"]
max_targets = 2
action = "stop"

[[policies]]
id = "prod-shell"
name = "s"
priority = 5
rules = ["*shell*"]
severity_threshold = "Medium"
max_targets = 4
[policies.action]
Quarantine = []
[policies.target_filter]
labels = ["env=prod*"]

[[policies]]
id = "notify-all"
name = "n"
priority = 100
max_targets = 1000
action = "notify"
`);

const names = ['web-1', 'web-2', 'web-3', 'api-1', 'db', 'cache'];
const inventory: Container[] = names.map((name, i) =>
  container(name, {
    labels: i % 2 === 0 ? { env: 'prod' } : {},
    state: i === 4 ? 'paused' : 'running',
  }),
);
const alerts: Alert[] = [
  alert({ rule: 'fork_storm' }),
  alert({ rule: 'fork_storm', container: { name: 'web-2' } }),
  alert({ rule: 'Terminal shell in container', severity: 'Critical', container: { name: 'db' } }),
  alert({ rule: 'Terminal shell in container', severity: 'Critical' }),
  alert({ rule: 'disk_full', severity: 'Low' }),
  alert({ rule: 'fork_storm', container: { name: 'nope' } }),
];

function runAll(policyOrder: typeof loaded, inv: Container[]) {
  const set = compilePolicies(policyOrder);
  return alerts.map((a) =>
    decide(a, set, ctx(inv, { armed: true, history: history({ escalationStep: () => 0 }) })),
  );
}

describe('determinism', () => {
  const reference = runAll(loaded, inventory);

  it('the reference case is not trivial', () => {
    const verdicts = new Set(reference.flatMap((r) => r.decisions.map((d) => d.verdict)));
    expect([...verdicts].sort()).toEqual(['blast-radius', 'execute', 'unknown-container']);
    // Tied priority: "storm-any" sorts before "storm-web", matches 5 running containers > 2.
    expect(reference[0]!.decisions.map((d) => [d.policy, d.verdict])).toEqual([
      ['storm-any', 'blast-radius'],
    ]);
    expect(reference[3]!.decisions.map((d) => d.container?.name)).toEqual(['web-1', 'web-3']);
  });

  it('shuffling policies or the inventory never changes a decision or the trace', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(loaded, { minLength: loaded.length }),
        fc.shuffledSubarray(inventory, { minLength: inventory.length }),
        (ps, inv) => {
          expect(runAll(ps, inv)).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });
});
