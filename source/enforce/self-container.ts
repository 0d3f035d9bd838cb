import { readFileSync } from 'node:fs';
import { containerIdText } from '../domain/container.js';

const selfIdInCgroup = new RegExp(`(?:docker[-/]|/containers/)(${containerIdText})`);

/**
 * Brig's own container id when it runs in one, so no policy can act on it (README "Policies": protected).
 * Read from /proc/self/cgroup (cgroup v1, and v2 with the systemd driver) or mountinfo (v2 cgroupfs).
 */
export function selfContainerId(
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): string | undefined {
  for (const file of ['/proc/self/cgroup', '/proc/self/mountinfo']) {
    try {
      const m = selfIdInCgroup.exec(readFile(file));
      if (m) return m[1];
    } catch {
      // Not Linux or not readable: not in a container as far as we can tell.
    }
  }
  return undefined;
}
