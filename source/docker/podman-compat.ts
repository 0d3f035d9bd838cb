import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateContainerSpec, EngineKind, LimitsUpdate } from './docker-port.js';
import { DockerError } from './errors.js';

/** Podman's /version names itself in Components ("Podman Engine"); Docker's says "Engine". */
export function engineKindOf(version: Record<string, unknown>): EngineKind {
  const components = Array.isArray(version.Components) ? (version.Components as { Name?: unknown }[]) : [];
  return components.some((c) => /podman/i.test(String(c.Name ?? ''))) ? 'podman' : 'docker';
}

/**
 * An Engine API limits update as the OCI resources body of Podman's libpod update route. Docker's
 * "no limit" values (0 or -1) become runc's -1: runc leaves a 0 unchanged.
 */
export function podmanResources(limits: LimitsUpdate): Record<string, unknown> {
  const body: Record<string, Record<string, number>> = {};
  const unlimited = (n: number) => (n > 0 ? n : -1);
  if (limits.NanoCpus !== undefined) {
    const period = 100_000;
    body.cpu = { period, quota: limits.NanoCpus > 0 ? Math.round((limits.NanoCpus * period) / 1e9) : -1 };
  }
  if (limits.CpuQuota !== undefined || limits.CpuPeriod !== undefined) {
    body.cpu = {
      ...(limits.CpuPeriod !== undefined && limits.CpuPeriod > 0 ? { period: limits.CpuPeriod } : {}),
      ...(limits.CpuQuota !== undefined ? { quota: unlimited(limits.CpuQuota) } : {}),
    };
  }
  if (limits.PidsLimit !== undefined) body.pids = { limit: unlimited(limits.PidsLimit) };
  if (limits.Memory !== undefined || limits.MemorySwap !== undefined) {
    body.memory = {
      ...(limits.Memory !== undefined ? { limit: unlimited(limits.Memory) } : {}),
      ...(limits.MemorySwap !== undefined ? { swap: unlimited(limits.MemorySwap) } : {}),
    };
  }
  return body;
}

/**
 * Podman reads `seccomp=` in SecurityOpt as a path on the engine host ("file name too long" for
 * inline JSON). Inline profiles are written to files it reads; only a local (unix socket) engine
 * can read them.
 */
export async function inlineSeccompToFiles(
  spec: CreateContainerSpec,
  host: string,
): Promise<CreateContainerSpec> {
  const hostConfig = spec.HostConfig as { SecurityOpt?: unknown } | undefined;
  const opts = Array.isArray(hostConfig?.SecurityOpt) ? (hostConfig.SecurityOpt as string[]) : [];
  const inline = (o: string) => /^seccomp[=:]\s*\{/.test(o);
  if (!opts.some(inline)) return spec;
  if (!host.startsWith('unix://')) {
    throw new DockerError(
      'invalid',
      host,
      'Podman takes a seccomp profile only as a file on the engine host: an inline profile needs a local (unix socket) engine',
    );
  }
  // Content-addressed and kept: Podman reads the file at create time, and `brig audit` reads the
  // path Podman then reports to grade the profile.
  const dir = join(tmpdir(), 'brig-seccomp');
  await mkdir(dir, { recursive: true, mode: 0o755 });
  const rewritten: string[] = [];
  for (const o of opts) {
    if (!inline(o)) {
      rewritten.push(o);
      continue;
    }
    const json = o.replace(/^seccomp[=:]\s*/, '');
    const file = join(dir, `${createHash('sha256').update(json).digest('hex').slice(0, 32)}.json`);
    await writeFile(file, json, { mode: 0o644 });
    rewritten.push(`seccomp=${file}`);
  }
  return { ...spec, HostConfig: { ...hostConfig, SecurityOpt: rewritten } };
}

/**
 * Podman 4.3 has no tmpfs `uid=`/`gid=` ("unknown mount option"): a tmpfs owned by the container's
 * own user is its `U` option. Other owners cannot be had there, and are refused in words.
 */
export function podmanTmpfs(spec: CreateContainerSpec, host: string): CreateContainerSpec {
  const hostConfig = spec.HostConfig as { Tmpfs?: Record<string, string> } | undefined;
  if (!hostConfig?.Tmpfs) return spec;
  const [user = '', group = user] = String(spec.User ?? '').split(':');
  const tmpfs: Record<string, string> = {};
  for (const [target, options] of Object.entries(hostConfig.Tmpfs)) {
    const parts = options.split(',').filter((o) => o !== '');
    const owner = parts.filter((o) => /^(uid|gid)=/.test(o));
    if (owner.length === 0) {
      tmpfs[target] = options;
      continue;
    }
    const ownedByUser = owner.every((o) => o === `uid=${user}` || o === `gid=${group}`);
    if (!ownedByUser || user === '') {
      throw new DockerError(
        'invalid',
        host,
        `Podman cannot set the owner of tmpfs ${target} (${owner.join(',')}): only to the container's own user`,
      );
    }
    tmpfs[target] = [...parts.filter((o) => !/^(uid|gid)=/.test(o)), 'U'].join(',');
  }
  return { ...spec, HostConfig: { ...hostConfig, Tmpfs: tmpfs } };
}
