import { readFileSync } from 'node:fs';

/**
 * Brig's own container id when it runs in one, so no policy can act on it (DESIGN §5 protected).
 * Read from /proc/self/cgroup (cgroup v1, and v2 with the systemd driver) or mountinfo (v2 cgroupfs).
 */
export function selfContainerId(
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): string | undefined {
  for (const file of ['/proc/self/cgroup', '/proc/self/mountinfo']) {
    try {
      const m = /(?:docker[-/]|\/containers\/)([0-9a-f]{64})/.exec(readFile(file));
      if (m) return m[1];
    } catch {
      // Not Linux or not readable: not in a container as far as we can tell.
    }
  }
  return undefined;
}
