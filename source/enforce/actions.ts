import type { ActionSpec } from '../domain/action.js';
import type { UndoData } from '../domain/action-record.js';
import type { Container, Endpoint, Limits } from '../domain/container.js';
import type { DockerPort, LimitsUpdate } from '../docker/docker-port.js';
import { containerFromInspect } from '../docker/inspect.js';
import { isAlreadySo } from './already-so.js';

export const quarantineOptions = { 'com.docker.network.bridge.enable_icc': 'false' };

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
async function fresh(port: DockerPort, container: Container): Promise<Container> {
  return containerFromInspect(await port.inspectContainer(container.id), container.engine);
}

async function ensureQuarantineNetwork(port: DockerPort, name: string): Promise<void> {
  try {
    const network = await port.inspectNetwork(name);
    if (!network.internal) {
      throw new PermanentActionError(
        `network ${name} exists but is not internal: refusing to use it as quarantine`,
      );
    }
  } catch (error) {
    if (error instanceof PermanentActionError) throw error;
    await port
      .createNetwork({
        name,
        internal: true,
        options: quarantineOptions,
        labels: { 'brig.quarantine': 'true' },
      })
      .catch(async (createError: unknown) => {
        // Another action created it meanwhile: fine if it is there now.
        await port.inspectNetwork(name).catch(() => {
          throw createError;
        });
      });
  }
}

async function disconnectAll(
  port: DockerPort,
  container: Container,
  endpoints: readonly Endpoint[],
): Promise<void> {
  for (const ep of endpoints) {
    await port.disconnect(ep.networkId || ep.network, container.id, true).catch((error: unknown) => {
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

/**
 * Carry out one action on one container. Returns what is needed to undo it. Throws DockerError or
 * PermanentActionError; "already so" answers are success.
 */
export async function performAction(
  port: DockerPort,
  container: Container,
  spec: ActionSpec,
): Promise<UndoData | undefined> {
  const id = container.id;
  switch (spec.kind) {
    case 'pause':
      await step(() => port.pause(id), 'pause');
      return {};
    case 'stop':
      await step(() => port.stop(id, spec.timeoutSecs), 'stop');
      return {};
    case 'kill':
      await step(() => port.kill(id, spec.signal), 'kill');
      return {};
    case 'restart':
      await port.restart(id, spec.timeoutSecs);
      return undefined;
    case 'notify':
      return undefined;
    case 'network-disconnect': {
      const why = cannotDisconnect(container);
      if (why) throw new PermanentActionError(why);
      const now = await fresh(port, container);
      const targets =
        spec.networks.length === 0
          ? now.networks
          : now.networks.filter((ep) => spec.networks.includes(ep.network));
      await disconnectAll(port, now, targets);
      return { endpoints: targets };
    }
    case 'quarantine': {
      const why = cannotDisconnect(container);
      if (why) throw new PermanentActionError(why);
      await ensureQuarantineNetwork(port, spec.network);
      const now = await fresh(port, container);
      const others = now.networks.filter((ep) => ep.network !== spec.network);
      await disconnectAll(port, now, others);
      if (!now.networks.some((ep) => ep.network === spec.network)) await port.connect(spec.network, id, {});
      return { endpoints: others, quarantineNetwork: spec.network };
    }
    case 'throttle': {
      const now = await fresh(port, container);
      const update = throttleUpdate(spec, now.limits);
      await port.update(id, update);
      return { limits: now.limits };
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
): Promise<string[]> {
  const id = container.id;
  switch (action) {
    case 'pause':
      await step(() => port.unpause(id), 'unpause');
      return [];
    case 'stop':
    case 'kill':
      await step(() => port.start(id), 'start');
      return [];
    case 'network-disconnect':
    case 'quarantine': {
      if (undo.quarantineNetwork) {
        await port.disconnect(undo.quarantineNetwork, id, true).catch((error: unknown) => {
          if (!/is not connected|not found/i.test((error as Error).message)) throw error;
        });
      }
      const now = await fresh(port, container);
      for (const ep of undo.endpoints ?? []) {
        if (now.networks.some((n) => n.network === ep.network)) continue;
        await port.connect(ep.networkId || ep.network, id, {
          Aliases: ep.aliases,
          IPAMConfig: ep.ipamConfig,
          Links: ep.links,
          DriverOpts: ep.driverOpts,
        });
      }
      return [];
    }
    case 'throttle': {
      if (!undo.limits) return ['no recorded limits to put back'];
      const now = await fresh(port, container);
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
      if (Object.keys(update).length > 0) await port.update(id, update);
      return notes;
    }
    default:
      return [];
  }
}
