/**
 * One `HostConfig.SecurityOpt` entry split into key and value. Docker accepts both `key=value` and
 * the legacy `key:value`; a seccomp value is a whole JSON document, so only the first separator counts.
 */
export function parseSecurityOpt(entry: string): { key: string; value: string | undefined } {
  const m = /^([a-z-]+)(?:[=:]([\s\S]*))?$/i.exec(entry.trim());
  if (!m) return { key: entry.trim(), value: undefined };
  return { key: m[1]!.toLowerCase(), value: m[2] };
}

export function securityOptValues(opts: readonly string[], key: string): (string | undefined)[] {
  return opts.map(parseSecurityOpt).flatMap((o) => (o.key === key ? [o.value] : []));
}

/** `no-new-privileges`, `no-new-privileges=true` and `no-new-privileges:true` all switch it on. */
export function hasNoNewPrivileges(opts: readonly string[]): boolean {
  return securityOptValues(opts, 'no-new-privileges').some(
    (v) => v === undefined || v.trim().toLowerCase() === 'true',
  );
}
