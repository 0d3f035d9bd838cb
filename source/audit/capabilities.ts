/** Capability names as Docker accepts them: `sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` are one. */
export function normalizeCapability(name: string): string {
  return name.trim().toUpperCase().replace(/^CAP_/, '');
}

/** Each of these alone is a known route out of a container (or to the host kernel). */
export const dangerousCapabilities: ReadonlySet<string> = new Set([
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_PTRACE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'SYSLOG',
]);

/** What Docker grants every container unless told otherwise: adding one back is no escalation. */
export const dockerDefaultCapabilities: ReadonlySet<string> = new Set([
  'CHOWN',
  'DAC_OVERRIDE',
  'FSETID',
  'FOWNER',
  'MKNOD',
  'NET_RAW',
  'SETGID',
  'SETUID',
  'SETFCAP',
  'SETPCAP',
  'NET_BIND_SERVICE',
  'SYS_CHROOT',
  'KILL',
  'AUDIT_WRITE',
]);

/**
 * A drop list that removes every default capability is ALL in effect: Podman reports
 * `--cap-drop ALL` as that expanded list, never as `ALL`.
 */
export function dropsAll(capDrop: readonly string[] | null | undefined): boolean {
  const dropped = new Set((capDrop ?? []).map(normalizeCapability));
  if (dropped.has('ALL')) return true;
  return [...dockerDefaultCapabilities].every((c) => dropped.has(c));
}
