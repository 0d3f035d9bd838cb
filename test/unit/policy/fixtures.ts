import { parsePolicyText } from '../../../source/config/policy-loader.js';
import type { Alert } from '../../../source/domain/alert.js';
import type { Container } from '../../../source/domain/container.js';
import type { LoadedPolicy } from '../../../source/domain/policy.js';
import type { CompiledPolicySet } from '../../../source/policy/compile.js';
import { compilePolicies } from '../../../source/policy/compile.js';
import type { DecideContext, PolicyHistory } from '../../../source/policy/decide.js';
import { emptyHistory } from '../../../source/policy/decide.js';

let serial = 0;

/** A 64-hex id whose first 12 digits are unique per call unless `id` is given. */
export function hexId(n: number): string {
  return n.toString(16).padStart(12, '0') + 'a'.repeat(52);
}

export function container(name: string, over: Partial<Container> = {}): Container {
  serial++;
  return {
    id: hexId(serial),
    name,
    image: 'nginx:1.27',
    state: 'running',
    labels: {},
    engine: 'local',
    pid: 100 + serial,
    networkMode: 'bridge',
    networks: [
      {
        network: 'bridge',
        networkId: 'n'.repeat(64),
        aliases: null,
        ipamConfig: null,
        links: null,
        driverOpts: null,
      },
    ],
    limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 0, memory: 0, memorySwap: 0 },
    restartCount: 0,
    stale: false,
    ...over,
  };
}

export function alert(over: Partial<Alert> = {}): Alert {
  return {
    id: `alert-${++serial}`,
    time: '2026-11-22T19:00:00Z',
    source: 'ndjson',
    rule: 'fork_storm',
    severity: 'High',
    message: '',
    fields: {},
    ...over,
  };
}

/** Policies from TOML ([[policies]] entries), as users write them. */
export function policies(toml: string, file = 'test.toml'): LoadedPolicy[] {
  const { policies: loaded, errors } = parsePolicyText(file, toml);
  if (errors.length > 0) throw new Error(errors.map((e) => `${e.line}: ${e.message}`).join('\n'));
  return loaded;
}

export function compiled(toml: string): CompiledPolicySet {
  return compilePolicies(policies(toml));
}

export function history(over: Partial<PolicyHistory> = {}): PolicyHistory {
  return { ...emptyHistory, ...over };
}

export function ctx(inventory: Container[], over: Partial<DecideContext> = {}): DecideContext {
  return {
    inventory,
    armed: true,
    dryRun: false,
    protectNames: [],
    now: 1_800_000_000_000,
    history: emptyHistory,
    ...over,
  };
}
