import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where /proc and the cgroup mount live; injectable so tests can use fixture trees. */
export interface CgroupRoots {
  proc: string;
  cgroup: string;
}

export const defaultCgroupRoots: CgroupRoots = { proc: '/proc', cgroup: '/sys/fs/cgroup' };

/**
 * v2: one unified hierarchy at the root. v1: a directory per controller, and on hybrid hosts a
 * unified hierarchy (no controllers, but PSI files) mounted at `unified/`.
 */
export type CgroupLayout = { version: 'v2' } | { version: 'v1'; unified: boolean };

export function detectCgroupLayout(root: string): CgroupLayout | undefined {
  if (existsSync(path.join(root, 'cgroup.controllers'))) return { version: 'v2' };
  if (existsSync(path.join(root, 'pids')) || existsSync(path.join(root, 'memory'))) {
    return { version: 'v1', unified: existsSync(path.join(root, 'unified', 'cgroup.controllers')) };
  }
  return undefined;
}

/** The content of /proc/<pid>/cgroup: v1 lines `N:ctrl[,ctrl]:/path`, the v2 line `0::/path`. */
export interface ProcCgroup {
  /** controller name → [hierarchy directory name as mounted, path inside it] */
  v1: Map<string, { mount: string; path: string }>;
  v2?: string;
}

export function parseProcCgroup(text: string): ProcCgroup {
  const result: ProcCgroup = { v1: new Map() };
  for (const line of text.split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const cgroupPath = line.slice(second + 1);
    if (controllers === '') {
      result.v2 = cgroupPath;
      continue;
    }
    for (const controller of controllers.split(',')) {
      // name=systemd is a named hierarchy, not a resource controller.
      if (!controller.startsWith('name='))
        result.v1.set(controller, { mount: controllers, path: cgroupPath });
    }
  }
  return result;
}

/**
 * The files the sampler reads for one container. Absent entries do not exist on this host (an old
 * kernel without pids.events, a v2 controller not enabled for the scope): the detector that needs
 * them stays silent rather than the whole container dropping out of sampling.
 */
export interface CgroupFiles {
  version: 'v1' | 'v2';
  /** The directory holding pids.* (for messages). */
  dir: string;
  pidsCurrent: string;
  pidsMax: string;
  pidsEvents?: string;
  /** v1 cpuacct.usage (ns); v2 cpu.stat (usage_usec line). */
  cpuUsage?: string;
  memoryUsage?: string;
  memoryLimit?: string;
  memoryStat?: string;
  cpuPressure?: string;
  memoryPressure?: string;
}

export type LocateResult = { ok: true; files: CgroupFiles } | { ok: false; reason: string };

/**
 * Finds a container's cgroup from its main process. The path must name the container id (both
 * cgroupfs `/docker/<id>` and systemd `docker-<id>.scope` do): otherwise the pid may already
 * belong to some other process, and we would watch the wrong thing.
 */
export function locateFromProcCgroup(
  roots: CgroupRoots,
  layout: CgroupLayout,
  procCgroup: ProcCgroup,
  containerId: string,
): LocateResult {
  const namesContainer = (p: string) => p.includes(containerId);
  if (layout.version === 'v2') {
    const rel = procCgroup.v2;
    if (rel === undefined) return { ok: false, reason: 'no cgroup v2 entry in /proc/<pid>/cgroup' };
    if (!namesContainer(rel)) return { ok: false, reason: `cgroup ${rel} does not name the container` };
    const dir = path.join(roots.cgroup, rel);
    if (!existsSync(path.join(dir, 'pids.current'))) {
      return { ok: false, reason: `${dir}/pids.current not found (pids controller not enabled?)` };
    }
    const f = (name: string) => path.join(dir, name);
    return {
      ok: true,
      files: {
        version: 'v2',
        dir,
        pidsCurrent: f('pids.current'),
        pidsMax: f('pids.max'),
        pidsEvents: optional(f('pids.events')),
        cpuUsage: optional(f('cpu.stat')),
        memoryUsage: optional(f('memory.current')),
        memoryLimit: optional(f('memory.max')),
        memoryStat: optional(f('memory.stat')),
        cpuPressure: optional(f('cpu.pressure')),
        memoryPressure: optional(f('memory.pressure')),
      },
    };
  }
  const controllerDir = (controller: string): string | undefined => {
    const entry = procCgroup.v1.get(controller);
    if (!entry || !namesContainer(entry.path)) return undefined;
    // Combined hierarchies are mounted as e.g. `cpu,cpuacct`, usually with a `cpuacct` symlink.
    for (const mount of [controller, entry.mount]) {
      const dir = path.join(roots.cgroup, mount, entry.path);
      if (existsSync(dir)) return dir;
    }
    return undefined;
  };
  const pidsDir = controllerDir('pids');
  if (!pidsDir) return { ok: false, reason: 'no readable pids cgroup for the container' };
  const cpuDir = controllerDir('cpuacct') ?? pidsDir;
  const memDir = controllerDir('memory') ?? pidsDir;
  const unifiedDir =
    layout.unified && procCgroup.v2 !== undefined && namesContainer(procCgroup.v2)
      ? path.join(roots.cgroup, 'unified', procCgroup.v2)
      : undefined;
  return {
    ok: true,
    files: {
      version: 'v1',
      dir: pidsDir,
      pidsCurrent: path.join(pidsDir, 'pids.current'),
      pidsMax: path.join(pidsDir, 'pids.max'),
      pidsEvents: optional(path.join(pidsDir, 'pids.events')),
      cpuUsage: optional(path.join(cpuDir, 'cpuacct.usage')),
      memoryUsage: optional(path.join(memDir, 'memory.usage_in_bytes')),
      memoryLimit: optional(path.join(memDir, 'memory.limit_in_bytes')),
      memoryStat: optional(path.join(memDir, 'memory.stat')),
      cpuPressure: unifiedDir && optional(path.join(unifiedDir, 'cpu.pressure')),
      memoryPressure: unifiedDir && optional(path.join(unifiedDir, 'memory.pressure')),
    },
  };
}

function optional(file: string): string | undefined {
  return existsSync(file) ? file : undefined;
}
