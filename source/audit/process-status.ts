import { readFile } from 'node:fs/promises';
import type { SettingCheck } from './verify-hardening.js';

/** The fields of /proc/PID/status that show what the kernel enforces on a process. */
export interface KernelStatus {
  seccomp: number | undefined;
  noNewPrivs: number | undefined;
  capEff: bigint | undefined;
  capBnd: bigint | undefined;
}

export function parseProcStatus(text: string): KernelStatus {
  const field = (name: string) => new RegExp(`^${name}:\\s*(\\S+)`, 'm').exec(text)?.[1];
  const int = (v: string | undefined) => (v === undefined ? undefined : Number.parseInt(v, 10));
  const hex = (v: string | undefined) =>
    v === undefined || !/^[0-9a-f]+$/i.test(v) ? undefined : BigInt(`0x${v}`);
  return {
    seccomp: int(field('Seccomp')),
    noNewPrivs: int(field('NoNewPrivs')),
    capEff: hex(field('CapEff')),
    capBnd: hex(field('CapBnd')),
  };
}

/**
 * What the kernel says about the container's first process, when Brig runs on the engine's host.
 * Undefined when it cannot tell: a remote engine, another PID namespace, or the process is gone. The
 * cgroup file must name the container, so a PID from another namespace is never misread.
 */
export async function readKernelStatus(pid: number, containerId: string): Promise<KernelStatus | undefined> {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    const cgroup = await readFile(`/proc/${pid}/cgroup`, 'utf8');
    if (!cgroup.includes(containerId)) return undefined;
    return parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The in-kernel proof, beside what inspect says: filter mode, no_new_privs, and (maximum) no capabilities. */
export function kernelChecks(status: KernelStatus, expectNoCapabilities: boolean): SettingCheck[] {
  const checks: SettingCheck[] = [
    {
      setting: 'kernel seccomp',
      ok: status.seccomp === 2,
      expected: 'filter (Seccomp: 2)',
      actual: `Seccomp: ${status.seccomp ?? '(absent)'}`,
    },
    {
      setting: 'kernel no_new_privs',
      ok: status.noNewPrivs === 1,
      expected: 'NoNewPrivs: 1',
      actual: `NoNewPrivs: ${status.noNewPrivs ?? '(absent)'}`,
    },
  ];
  if (expectNoCapabilities) {
    const show = (v: bigint | undefined) => (v === undefined ? '(absent)' : v.toString(16).padStart(16, '0'));
    checks.push({
      setting: 'kernel capabilities',
      ok: status.capEff === 0n && status.capBnd === 0n,
      expected: 'CapEff and CapBnd 0000000000000000',
      actual: `CapEff ${show(status.capEff)}, CapBnd ${show(status.capBnd)}`,
    });
  }
  return checks;
}
