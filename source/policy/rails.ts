import type { ActionSpec } from '../domain/action.js';
import type { Container } from '../domain/container.js';
import type { Matcher } from './glob.js';
import { globSubject } from './glob.js';

/** Why a container is protected (rail 1 of DESIGN §5), or undefined. */
export function protectionReason(
  container: Container,
  protectNames: Matcher | undefined,
  selfContainerId: string | undefined,
): string | undefined {
  if (container.labels['brig.protect'] === 'true') return `${container.name} has the label brig.protect=true`;
  if (protectNames?.(globSubject(container.name))) return `${container.name} is in guard.protect_names`;
  if (
    selfContainerId &&
    selfContainerId.length >= 12 &&
    container.id.startsWith(selfContainerId.toLowerCase())
  )
    return `${container.name} is Brig's own container`;
  return undefined;
}

/**
 * A container sharing the host's or another container's network stack has no endpoints of its own:
 * disconnecting or quarantining it is impossible, and saying so beats a failed action.
 */
export function networkImpossibility(action: ActionSpec, container: Container): string | undefined {
  if (action.kind !== 'network-disconnect' && action.kind !== 'quarantine') return undefined;
  const mode = container.networkMode;
  if (mode === 'host' || mode.startsWith('container:'))
    return `network_mode ${mode.startsWith('container:') ? 'container' : 'host'}: ${container.name} cannot be disconnected`;
  return undefined;
}

const notRunning = new Set(['exited', 'created', 'dead', 'removing']);

/** Whether the action is already in effect, judged from the container's own state (rail 2). */
export function alreadyReason(action: ActionSpec, container: Container): string | undefined {
  const name = container.name;
  switch (action.kind) {
    case 'pause':
      if (container.state === 'paused') return `${name} is already paused`;
      if (notRunning.has(container.state)) return `${name} is ${container.state}: nothing runs to pause`;
      return undefined;
    case 'stop':
    case 'kill':
      return notRunning.has(container.state) ? `${name} is already ${container.state}` : undefined;
    case 'network-disconnect': {
      const wanted = action.networks;
      const attached =
        wanted.length === 0
          ? container.networks
          : container.networks.filter((n) => wanted.includes(n.network) || wanted.includes(n.networkId));
      if (attached.length > 0) return undefined;
      return wanted.length === 0 ? `${name} is on no network` : `${name} is not on ${wanted.join(', ')}`;
    }
    case 'quarantine': {
      const nets = container.networks;
      if (nets.length === 1 && nets[0]!.network === action.network)
        return `${name} is already only on ${action.network}`;
      return undefined;
    }
    case 'throttle': {
      const l = container.limits;
      const cpus =
        l.nanoCpus > 0 ? l.nanoCpus / 1e9 : l.cpuQuota > 0 && l.cpuPeriod > 0 ? l.cpuQuota / l.cpuPeriod : 0;
      const checks: boolean[] = [];
      if (action.cpus !== undefined) checks.push(cpus > 0 && cpus <= action.cpus);
      if (action.pidsLimit !== undefined) checks.push(l.pidsLimit > 0 && l.pidsLimit <= action.pidsLimit);
      if (action.memory !== undefined) checks.push(l.memory > 0 && l.memory <= action.memory);
      return checks.length > 0 && checks.every(Boolean)
        ? `${name}'s limits are already at or below the throttle`
        : undefined;
    }
    case 'restart':
    case 'notify':
    case 'capture':
      return undefined;
  }
}
