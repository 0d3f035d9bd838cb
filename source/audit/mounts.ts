import { posix } from 'node:path';
import type { SecurityView } from './security-view.js';

/** A host path made visible inside the container. */
export interface HostMount {
  source: string;
  destination: string;
  readOnly: boolean;
}

/** Bind mounts only: named volumes live under the data root by design and are not host paths. */
export function hostMounts(view: SecurityView): HostMount[] {
  const found: HostMount[] = [];
  for (const m of view.Mounts ?? []) {
    if (m.Type === 'bind' && m.Source)
      found.push({ source: m.Source, destination: m.Destination ?? '', readOnly: m.RW === false });
  }
  for (const m of view.HostConfig?.Mounts ?? []) {
    if (m.Type === 'bind' && m.Source)
      found.push({ source: m.Source, destination: m.Target ?? '', readOnly: m.ReadOnly === true });
  }
  for (const bind of view.HostConfig?.Binds ?? []) {
    // "SRC:DST[:OPTS]"; a SRC that is not absolute is a named volume.
    const [source, destination = '', options = ''] = bind.split(':');
    if (source?.startsWith('/'))
      found.push({ source, destination, readOnly: options.split(',').includes('ro') });
  }
  const seen = new Set<string>();
  return found
    .map((m) => ({ ...m, source: clean(m.source), destination: clean(m.destination) }))
    .filter((m) => {
      const key = `${m.source}\0${m.destination}\0${m.readOnly}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function clean(path: string): string {
  if (path === '') return path;
  const normal = posix.normalize(path);
  return normal.length > 1 ? normal.replace(/\/+$/, '') : normal;
}

const socketNames = new Set(['docker.sock', 'containerd.sock', 'podman.sock', 'cri-dockerd.sock']);
/** Host directories that hold the engine's socket at its usual place. */
const socketDirectories = new Set([
  '/',
  '/var',
  '/run',
  '/var/run',
  '/run/containerd',
  '/var/run/containerd',
]);

/** Why this mount hands the container the container engine, or undefined. */
export function exposesEngineSocket(m: HostMount): string | undefined {
  if (socketNames.has(posix.basename(m.source)) || socketNames.has(posix.basename(m.destination)))
    return `${m.source} mounted at ${m.destination}`;
  if (socketDirectories.has(m.source))
    return `host ${m.source} mounted at ${m.destination} (holds the engine socket)`;
  return undefined;
}

/** Host paths whose contents control the host (or leak its secrets). */
const sensitiveRoots = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/home',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/usr',
  '/lib/modules',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/lib/kubelet',
  '/var/log',
];
/** Read-only, these only tell the container the time zone. */
const harmlessReadOnly = new Set(['/etc/localtime', '/etc/timezone', '/usr/share/zoneinfo']);

export function isSensitivePath(m: HostMount): boolean {
  if (m.readOnly && [...harmlessReadOnly].some((p) => m.source === p || m.source.startsWith(`${p}/`)))
    return false;
  return sensitiveRoots.some((root) => m.source === root || m.source.startsWith(`${root}/`));
}
