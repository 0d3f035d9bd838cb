import os from 'node:os';
import path from 'node:path';

/**
 * Where bundles go: BRIG_EVIDENCE_DIR, else $XDG_STATE_HOME/brig/evidence, else
 * ~/.local/state/brig/evidence (the journal's base, DESIGN §7 and §13).
 */
export function defaultEvidenceRoot(env: NodeJS.ProcessEnv): string {
  const given = env.BRIG_EVIDENCE_DIR?.trim();
  if (given) return path.resolve(given);
  // The XDG spec says a relative XDG_* path is invalid and must be ignored.
  const stateHome = env.XDG_STATE_HOME;
  const base =
    stateHome && path.isAbsolute(stateHome)
      ? stateHome
      : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'brig', 'evidence');
}

/** A piece of a directory name: letters, digits, ".", "_" and "-" only, never empty or a dot name. */
function safePart(value: string, max: number): string {
  const s = value
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, max);
  return s || 'x';
}

/** `<utc-time>-<container>-<trace>`, e.g. `20261202T004512.123Z-web-1-a1b2c3`. */
export function bundleName(at: Date, containerName: string, trace: string): string {
  const utc = at.toISOString().replace(/[-:]/g, '');
  return `${utc}-${safePart(containerName, 64)}-${safePart(trace, 64)}`;
}
