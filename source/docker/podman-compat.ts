import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
 * inline JSON). Inline profiles are written to files it reads at create time; only a local
 * (unix socket) engine can read them.
 */
export async function inlineSeccompToFiles(
  spec: CreateContainerSpec,
  host: string,
): Promise<{ spec: CreateContainerSpec; remove(): Promise<void> } | undefined> {
  const hostConfig = spec.HostConfig as { SecurityOpt?: unknown } | undefined;
  const opts = Array.isArray(hostConfig?.SecurityOpt) ? (hostConfig.SecurityOpt as string[]) : [];
  const inline = (o: string) => /^seccomp[=:]\s*\{/.test(o);
  if (!opts.some(inline)) return undefined;
  if (!host.startsWith('unix://')) {
    throw new DockerError(
      'invalid',
      host,
      'Podman takes a seccomp profile only as a file on the engine host: an inline profile needs a local (unix socket) engine',
    );
  }
  const dir = await mkdtemp(join(tmpdir(), 'brig-seccomp-'));
  const rewritten: string[] = [];
  for (const o of opts) {
    if (!inline(o)) {
      rewritten.push(o);
      continue;
    }
    const file = join(dir, `${randomBytes(4).toString('hex')}.json`);
    await writeFile(file, o.replace(/^seccomp[=:]\s*/, ''), { mode: 0o600 });
    rewritten.push(`seccomp=${file}`);
  }
  return {
    spec: { ...spec, HostConfig: { ...hostConfig, SecurityOpt: rewritten } },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
