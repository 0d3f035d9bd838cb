import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultCgroupRoots, detectCgroupLayout, parseProcCgroup, type CgroupRoots } from './cgroup-paths.js';
import { parseLimit } from './cgroup-values.js';

/** HostConfig limit fields as the Engine API names them. */
export interface HostLimits {
  NanoCpus?: number | null;
  CpuQuota?: number | null;
  CpuPeriod?: number | null;
  PidsLimit?: number | null;
  Memory?: number | null;
  MemorySwap?: number | null;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** A cgroup limit in the Engine API's terms: none = 0. */
function limit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = parseLimit(text);
  if (value === undefined) return undefined;
  return Number.isFinite(value) && value >= 0 ? value : 0;
}

/**
 * Podman 4.3's update changes the running cgroup only: its inspect keeps the limits the container
 * was created with. For a local engine, the limits in force are read from the container's cgroup
 * (found from its main process, whose cgroup must name the container) and put over the inspected
 * ones. Anything unreadable keeps the inspected value.
 */
export function overlayLiveLimits(
  hostConfig: HostLimits,
  pid: number,
  containerId: string,
  roots: CgroupRoots = defaultCgroupRoots,
): HostLimits {
  if (pid <= 0) return hostConfig;
  const layout = detectCgroupLayout(roots.cgroup);
  const procText = read(path.join(roots.proc, String(pid), 'cgroup'));
  if (!layout || procText === undefined) return hostConfig;
  const proc = parseProcCgroup(procText);
  const out: HostLimits = { ...hostConfig };
  let quota: number | undefined;
  let period: number | undefined;
  if (layout.version === 'v2') {
    const rel = proc.v2;
    if (rel === undefined || !rel.includes(containerId)) return hostConfig;
    const f = (name: string) => read(path.join(roots.cgroup, rel, name));
    const pids = limit(f('pids.max'));
    if (pids !== undefined) out.PidsLimit = pids;
    const memory = limit(f('memory.max'));
    if (memory !== undefined) out.Memory = memory;
    const swap = limit(f('memory.swap.max'));
    if (memory !== undefined && memory > 0 && swap !== undefined)
      out.MemorySwap = swap > 0 ? memory + swap : -1;
    const cpu = f('cpu.max')?.trim().split(/\s+/);
    if (cpu) {
      quota = cpu[0] === 'max' ? -1 : Number(cpu[0]);
      period = Number(cpu[1]);
    }
  } else {
    const dir = (controller: string) => {
      const entry = proc.v1.get(controller);
      if (!entry || !entry.path.includes(containerId)) return undefined;
      // Combined hierarchies are mounted as e.g. `cpu,cpuacct`, often with a `cpu` symlink.
      for (const mount of [controller, entry.mount]) {
        const candidate = path.join(roots.cgroup, mount, entry.path);
        if (existsSync(candidate)) return candidate;
      }
      return undefined;
    };
    const pidsDir = dir('pids');
    const memDir = dir('memory');
    const cpuDir = dir('cpu');
    if (pidsDir) {
      const pids = limit(read(path.join(pidsDir, 'pids.max')));
      if (pids !== undefined) out.PidsLimit = pids;
    }
    if (memDir) {
      const memory = limit(read(path.join(memDir, 'memory.limit_in_bytes')));
      if (memory !== undefined) out.Memory = memory;
      const memsw = limit(read(path.join(memDir, 'memory.memsw.limit_in_bytes')));
      if (memory !== undefined && memory > 0 && memsw !== undefined) out.MemorySwap = memsw > 0 ? memsw : -1;
    }
    if (cpuDir) {
      const q = read(path.join(cpuDir, 'cpu.cfs_quota_us'));
      const p = read(path.join(cpuDir, 'cpu.cfs_period_us'));
      if (q !== undefined && p !== undefined) {
        quota = Number(q.trim());
        period = Number(p.trim());
      }
    }
  }
  if (quota !== undefined && period !== undefined && Number.isFinite(quota) && period > 0) {
    if ((hostConfig.NanoCpus ?? 0) > 0) out.NanoCpus = quota > 0 ? Math.round((quota * 1e9) / period) : 0;
    else if (quota > 0) {
      out.CpuQuota = quota;
      out.CpuPeriod = period;
    } else out.CpuQuota = 0;
  }
  return out;
}
