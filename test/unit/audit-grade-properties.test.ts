import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradePosture, postureRank } from '../../source/audit/grade.js';
import { ContainerInspectSchema } from '../../source/docker/inspect.js';

const caps = ['SYS_ADMIN', 'NET_ADMIN', 'IPC_LOCK', 'NET_BIND_SERVICE', 'CHOWN', 'SYS_NICE'];
const hostConfig = fc.record({
  Privileged: fc.boolean(),
  CapAdd: fc.subarray(caps),
  CapDrop: fc.oneof(fc.constant(['ALL']), fc.subarray(['NET_RAW', 'MKNOD'])),
  SecurityOpt: fc.subarray(['no-new-privileges', 'seccomp=unconfined', 'apparmor=unconfined']),
  ReadonlyRootfs: fc.boolean(),
  NetworkMode: fc.constantFrom('bridge', 'none', 'host'),
  PidMode: fc.constantFrom('', 'host'),
  IpcMode: fc.constantFrom('private', 'shareable', 'host'),
  Memory: fc.constantFrom(0, 1 << 28),
  NanoCpus: fc.constantFrom(0, 5e8),
  PidsLimit: fc.constantFrom(0, -1, 128),
  Binds: fc.subarray(['/srv/data:/data', '/etc:/host-etc:ro', '/var/run/docker.sock:/var/run/docker.sock']),
});
const user = fc.constantFrom('', 'root', '0:0', '65534:65534', 'app');

const inspect = (hc: Record<string, unknown>, User: string) =>
  ContainerInspectSchema.parse({
    Id: 'c'.repeat(64),
    Name: '/x',
    State: { Status: 'running' },
    Config: { Image: 'x', User },
    HostConfig: hc,
  });

/** One change that can only make a container harder to break out of. */
const hardenings: [string, (hc: Record<string, unknown>) => Record<string, unknown>][] = [
  ['drop Privileged', (hc) => ({ ...hc, Privileged: false })],
  ['drop CapAdd', (hc) => ({ ...hc, CapAdd: [] })],
  ['CapDrop ALL', (hc) => ({ ...hc, CapDrop: ['ALL'] })],
  ['read-only', (hc) => ({ ...hc, ReadonlyRootfs: true })],
  ['memory', (hc) => ({ ...hc, Memory: 1 << 28 })],
  ['pids', (hc) => ({ ...hc, PidsLimit: 64 })],
  ['no host network', (hc) => ({ ...hc, NetworkMode: 'none' })],
  ['no binds', (hc) => ({ ...hc, Binds: [] })],
  ['nnp', (hc) => ({ ...hc, SecurityOpt: [...(hc.SecurityOpt as string[]), 'no-new-privileges'] })],
];

describe('gradePosture properties', () => {
  it('privileged or a mounted Docker socket is always none', () => {
    fc.assert(
      fc.property(hostConfig, user, (hc, u) => {
        const p = gradePosture(inspect(hc, u));
        const socket = hc.Binds.some((b) => b.startsWith('/var/run/docker.sock'));
        if (hc.Privileged || socket) expect(p.level).toBe('none');
      }),
    );
  });

  it('maximum exactly when nothing failed', () => {
    fc.assert(
      fc.property(hostConfig, user, (hc, u) => {
        const p = gradePosture(inspect(hc, u));
        expect(p.level === 'maximum').toBe(p.failed.length === 0);
      }),
    );
  });

  it('hardening one setting never lowers the level', () => {
    fc.assert(
      fc.property(hostConfig, user, fc.constantFrom(...hardenings), (hc, u, [, harden]) => {
        const before = gradePosture(inspect(hc, u)).level;
        const after = gradePosture(inspect(harden(hc), u)).level;
        expect(postureRank(after)).toBeGreaterThanOrEqual(postureRank(before));
      }),
    );
  });
});
