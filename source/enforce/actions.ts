import type { ActionSpec } from '../domain/action.js';
import type { UndoData } from '../domain/action-record.js';
import type { Container, Endpoint, Limits } from '../domain/container.js';
import type { DockerPort, LimitsUpdate } from '../docker/docker-port.js';
import { containerFromInspect } from '../docker/inspect.js';
import { isAlreadySo } from './already-so.js';

/**
 * One internal network per quarantined container: nothing else is ever on it, so isolation does
 * not rest on an ICC option (Podman ignores enable_icc).
 */
export function quarantineNetworkName(base: string, containerId: string): string {
  return `${base}-${containerId.slice(0, 12)}`;
}

/** A failure that retrying cannot fix (e.g. disconnecting a host-network container). */
export class PermanentActionError extends Error {
  override name = 'PermanentActionError';
}

async function step(run: () => Promise<void>, kind: Parameters<typeof isAlreadySo>[1]): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isAlreadySo(error, kind)) throw error;
  }
}

function cannotDisconnect(container: Container): string | undefined {
  const mode = container.networkMode;
  if (mode === 'host' || mode === 'none' || mode.startsWith('container:')) {
    return `${container.name} uses network mode "${mode}": it has no endpoints Brig can disconnect`;
  }
  return undefined;
}

/** Re-read the container so undo data is what Docker has now, not what the inventory saw earlier. */
export async function fresh(
  port: DockerPort,
  container: Container,
  signal?: AbortSignal,
): Promise<Container> {
  return containerFromInspect(await port.inspectContainer(container.id, { signal }), container.engine);
}

async function ensureQuarantineNetwork(
  port: DockerPort,
  name: string,
  containerId: string,
  signal: AbortSignal,
): Promise<void> {
  try {
    const network = await port.inspectNetwork(name, { signal });
    if (!network.internal) {
      throw new PermanentActionError(
        `network ${name} exists but is not internal: refusing to use it as quarantine`,
      );
    }
  } catch (error) {
    if (error instanceof PermanentActionError) throw error;
    await port
      .createNetwork(
        {
          name,
          internal: true,
          labels: { 'brig.quarantine': 'true', 'brig.container': containerId },
        },
        { signal },
      )
      .catch(async (createError: unknown) => {
        // Another action created it meanwhile: fine if it is there now.
        await port.inspectNetwork(name, { signal }).catch(() => {
          throw createError;
        });
      });
  }
}

async function disconnectAll(
  port: DockerPort,
  container: Container,
  endpoints: readonly Endpoint[],
  signal: AbortSignal,
): Promise<void> {
  for (const ep of endpoints) {
    await port
      .disconnect(ep.networkId || ep.network, container.id, true, { signal })
      .catch((error: unknown) => {
        // Already gone from that network is what we wanted.
        if (!/is not connected/i.test((error as Error).message)) throw error;
      });
  }
}

/** The limits to send for a throttle, and the limits that put things back. */
export function throttleUpdate(spec: Extract<ActionSpec, { kind: 'throttle' }>, old: Limits): LimitsUpdate {
  const update: LimitsUpdate = {};
  if (spec.cpus !== undefined) {
    // NanoCpus cannot be unset through the API (0 = unchanged), so a container without it is
    // throttled with CpuQuota/CpuPeriod, which restore can reset (-1 = unlimited).
    if (old.nanoCpus > 0) update.NanoCpus = Math.round(spec.cpus * 1e9);
    else {
      const period = old.cpuPeriod > 0 ? old.cpuPeriod : 100_000;
      update.CpuPeriod = period;
      update.CpuQuota = Math.max(1000, Math.round(spec.cpus * period));
    }
  }
  if (spec.pidsLimit !== undefined) update.PidsLimit = spec.pidsLimit;
  if (spec.memory !== undefined) {
    update.Memory = spec.memory;
    // Memory without MemorySwap fails when the old swap limit is below the new memory.
    update.MemorySwap = spec.memory;
  }
  return update;
}

export function limitsRestoreUpdate(
  old: Limits,
  changed: LimitsUpdate,
  hostMemory: number,
): { update: LimitsUpdate; notes: string[] } {
  const update: LimitsUpdate = {};
  const notes: string[] = [];
  if (changed.NanoCpus !== undefined) update.NanoCpus = old.nanoCpus;
  if (changed.CpuQuota !== undefined) {
    update.CpuQuota = old.cpuQuota > 0 ? old.cpuQuota : -1;
    update.CpuPeriod = old.cpuPeriod > 0 ? old.cpuPeriod : 100_000;
  }
  if (changed.PidsLimit !== undefined) update.PidsLimit = old.pidsLimit > 0 ? old.pidsLimit : 0;
  if (changed.Memory !== undefined) {
    // runc writes the memory limit before the swap limit, so the swap limit must be sent with it
    // and be at least as large; -1 (unlimited swap) is refused in that position on cgroup v1.
    if (old.memory > 0) {
      update.Memory = old.memory;
      // MemorySwap 0 = Docker's default: swap as large as memory.
      update.MemorySwap = old.memorySwap > 0 ? old.memorySwap : old.memory * 2;
      if (old.memorySwap < 0)
        notes.push('swap limit set to twice the memory limit: Docker cannot set it back to unlimited');
    } else {
      // The Engine API cannot remove a memory limit once set (0 = unchanged, -1 refused).
      update.Memory = hostMemory;
      update.MemorySwap = hostMemory * 2;
      notes.push(
        `memory limit set to the host's ${Math.round(hostMemory / 1048576)} MiB: Docker cannot remove a memory limit`,
      );
    }
  }
  return { update, notes };
}

/** An action ready to run: its undo data is known before anything changes (the write-ahead intent). */
export interface ActionPlan {
  /** What restore needs; undefined for actions that leave nothing to undo (restart, notify). */
  undo: UndoData | undefined;
  /** Carries the action out. Idempotent: a retry after a partial attempt finishes the job. */
  apply(signal: AbortSignal): Promise<void>;
}

/**
 * Reads what undo needs (the container as Docker has it now) without changing anything. Throws
 * DockerError or PermanentActionError.
 */
export async function planAction(
  port: DockerPort,
  container: Container,
  spec: ActionSpec,
  signal: AbortSignal,
): Promise<ActionPlan> {
  const id = container.id;
  if (spec.kind === 'notify') return { undo: undefined, apply: async () => undefined };
  if (spec.kind === 'capture') {
    // A capture needs its alert, decision and limits: the engine runs captureEvidence
    // (source/evidence/capture.ts) for it. Reaching this is a wiring fault, never a silent success.
    throw new PermanentActionError('capture is run by the engine through captureEvidence, not planAction');
  }
  if (spec.kind === 'network-disconnect' || spec.kind === 'quarantine') {
    const why = cannotDisconnect(container);
    if (why) throw new PermanentActionError(why);
  }
  // State changes need no fresh read: the inventory's state is the prior state, and the first call
  // to the engine is the action itself (alert → paused stays at the raw API call's latency).
  const prior = { priorState: container.state };
  switch (spec.kind) {
    case 'pause':
      return { undo: prior, apply: (s) => step(() => port.pause(id, { signal: s }), 'pause') };
    case 'stop':
      return {
        undo: prior,
        apply: (s) => step(() => port.stop(id, spec.timeoutSecs, { signal: s }), 'stop'),
      };
    case 'kill':
      return { undo: prior, apply: (s) => step(() => port.kill(id, spec.signal, { signal: s }), 'kill') };
    case 'restart':
      return { undo: undefined, apply: (s) => port.restart(id, spec.timeoutSecs, { signal: s }) };
    default:
      break;
  }
  // Network and limit changes record what Docker has now, not what the inventory saw earlier.
  const now = await fresh(port, container, signal);
  const priorState = now.state;
  switch (spec.kind) {
    case 'network-disconnect': {
      const targets =
        spec.networks.length === 0
          ? now.networks
          : now.networks.filter((ep) => spec.networks.includes(ep.network));
      return {
        undo: { endpoints: targets, priorState },
        apply: (s) => disconnectAll(port, now, targets, s),
      };
    }
    case 'quarantine': {
      const network = quarantineNetworkName(spec.network, id);
      const others = now.networks.filter((ep) => ep.network !== network);
      const wasIn = now.networks.some((ep) => ep.network === network);
      return {
        undo: { endpoints: others, quarantineNetwork: network, priorState },
        apply: async (s) => {
          await ensureQuarantineNetwork(port, network, id, s);
          await disconnectAll(port, now, others, s);
          if (!wasIn) {
            await port.connect(network, id, {}, { signal: s }).catch((error: unknown) => {
              // A retry after a connect that landed: already there is what we wanted.
              if (!/already exists|already connected/i.test((error as Error).message)) throw error;
            });
          }
        },
      };
    }
    case 'throttle': {
      const update = throttleUpdate(spec, now.limits);
      return {
        undo: { limits: now.limits, priorState },
        apply: (s) => port.update(id, update, { signal: s }),
      };
    }
  }
}

/** Undo one recorded action. Returns notes on anything that could not be put back exactly. */
export async function undoAction(
  port: DockerPort,
  container: Container,
  action: ActionSpec['kind'],
  undo: UndoData,
  hostMemory: () => Promise<number>,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<string[]> {
  const id = container.id;
  const opts = { signal };
  switch (action) {
    case 'pause':
      await step(() => port.unpause(id, opts), 'unpause');
      return [];
    case 'stop':
    case 'kill':
      await step(() => port.start(id, opts), 'start');
      return [];
    case 'network-disconnect':
    case 'quarantine': {
      if (undo.quarantineNetwork) {
        await port.disconnect(undo.quarantineNetwork, id, true, opts).catch((error: unknown) => {
          if (!/is not connected|not found/i.test((error as Error).message)) throw error;
        });
        // The container's own quarantine network is empty now (a shared one of older records stays).
        if (undo.quarantineNetwork.endsWith(`-${id.slice(0, 12)}`))
          await port.removeNetwork(undo.quarantineNetwork, opts).catch(() => undefined);
      }
      const now = await fresh(port, container, signal);
      for (const ep of undo.endpoints ?? []) {
        if (now.networks.some((n) => n.network === ep.network)) continue;
        await port.connect(
          ep.networkId || ep.network,
          id,
          {
            Aliases: ep.aliases,
            IPAMConfig: ep.ipamConfig,
            Links: ep.links,
            DriverOpts: ep.driverOpts,
          },
          opts,
        );
      }
      return [];
    }
    case 'throttle': {
      if (!undo.limits) return ['no recorded limits to put back'];
      const now = await fresh(port, container, signal);
      const changed: LimitsUpdate = {
        ...(now.limits.nanoCpus !== undo.limits.nanoCpus ? { NanoCpus: 1 } : {}),
        ...(now.limits.cpuQuota !== undo.limits.cpuQuota ? { CpuQuota: 1 } : {}),
        ...(now.limits.pidsLimit !== undo.limits.pidsLimit ? { PidsLimit: 1 } : {}),
        ...(now.limits.memory !== undo.limits.memory ? { Memory: 1 } : {}),
      };
      const needsHostMemory = changed.Memory !== undefined && undo.limits.memory === 0;
      const { update, notes } = limitsRestoreUpdate(
        undo.limits,
        changed,
        needsHostMemory ? await hostMemory() : 0,
      );
      if (Object.keys(update).length > 0) await port.update(id, update, opts);
      return notes;
    }
    default:
      return [];
  }
}

/** Plan and apply in one go (tests, tools): returns what undo needs. */
export async function performAction(
  port: DockerPort,
  container: Container,
  spec: ActionSpec,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<UndoData | undefined> {
  const plan = await planAction(port, container, spec, signal);
  await plan.apply(signal);
  return plan.undo;
}
