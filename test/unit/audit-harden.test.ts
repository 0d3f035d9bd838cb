import { describe, expect, it } from 'vitest';
import { formatAuditTable, auditEntry } from '../../source/audit/audit-report.js';
import { gradePosture } from '../../source/audit/grade.js';
import { hardenedCreateSpec, hardenedNetwork } from '../../source/audit/harden-spec.js';
import { parseSecurityOpt, hasNoNewPrivileges } from '../../source/audit/security-opts.js';
import { kernelChecks, parseProcStatus } from '../../source/audit/process-status.js';
import { verifyHardening } from '../../source/audit/verify-hardening.js';
import { ContainerInspectSchema, type ContainerInspect } from '../../source/docker/inspect.js';
import type { NetworkInfo } from '../../source/docker/docker-port.js';

const profile = '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[]}';
const denylist = '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[]}';

/** What the engine reports for a container created from `spec`, as a faithful engine would. */
function inspectOf(
  spec: ReturnType<typeof hardenedCreateSpec>,
  patch: Record<string, unknown> = {},
): ContainerInspect {
  const hc = spec.HostConfig as Record<string, unknown>;
  return ContainerInspectSchema.parse({
    Id: 'b'.repeat(64),
    Name: '/hard',
    State: { Status: 'running', Running: true },
    Config: { Image: spec.Image, User: spec.User ?? '' },
    AppArmorProfile: '',
    HostConfig: { NetworkMode: 'bridge', ...hc, ...patch },
    NetworkSettings: { Networks: { [String(hc.NetworkMode ?? 'bridge')]: { NetworkID: 'n' } } },
  });
}
const network: NetworkInfo = {
  id: 'n',
  name: 'brig-hardened',
  driver: 'bridge',
  internal: true,
  options: { 'com.docker.network.bridge.enable_icc': 'false' },
};

describe('hardened create body', () => {
  it('has every maximum setting, the profile inlined as the Engine API expects', () => {
    const spec = hardenedCreateSpec('maximum', 'nginx:1.27', ['nginx', '-g', 'daemon off;'], profile);
    expect(spec).toMatchObject({
      Image: 'nginx:1.27',
      Cmd: ['nginx', '-g', 'daemon off;'],
      User: '65534:65534',
      HostConfig: {
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges', `seccomp=${profile}`],
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': expect.stringContaining('size=16m') },
        PidsLimit: 128,
        Memory: 268435456,
        MemorySwap: 268435456,
        NanoCpus: 500000000,
        IpcMode: 'private',
        NetworkMode: 'brig-hardened',
      },
    });
    expect(hardenedNetwork).toMatchObject({
      internal: true,
      options: { 'com.docker.network.bridge.enable_icc': 'false' },
    });
  });

  it('keeps the image command when none is given', () => {
    expect(hardenedCreateSpec('standard', 'x', [], profile)).not.toHaveProperty('Cmd');
  });

  it('produces containers that grade at the level they were hardened to', () => {
    expect(gradePosture(inspectOf(hardenedCreateSpec('maximum', 'x', [], profile)))).toEqual({
      level: 'maximum',
      failed: [],
    });
    expect(gradePosture(inspectOf(hardenedCreateSpec('standard', 'x', [], profile))).level).toBe('standard');
    expect(gradePosture(inspectOf(hardenedCreateSpec('minimal', 'x', [], denylist))).level).toBe('minimal');
  });
});

describe('verifyHardening', () => {
  it('passes every setting the engine applied', () => {
    const spec = hardenedCreateSpec('maximum', 'x', [], profile);
    const results = verifyHardening('maximum', spec, inspectOf(spec), network);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results.map((r) => r.setting)).toEqual(
      expect.arrayContaining([
        'cap-drop',
        'no-new-privileges',
        'seccomp',
        'ReadonlyRootfs',
        'tmpfs /tmp',
        'user',
        'network isolation',
        'posture',
      ]),
    );
    expect(results.find((r) => r.setting === 'apparmor')?.note).toMatch(/no AppArmor/);
  });

  it('names each setting the engine dropped, and the posture it leaves', () => {
    const spec = hardenedCreateSpec('maximum', 'x', [], profile);
    const got = inspectOf(spec, { ReadonlyRootfs: false, SecurityOpt: ['no-new-privileges'], Memory: 0 });
    const failed = verifyHardening('maximum', spec, got, network).filter((r) => !r.ok);
    expect(failed.map((r) => r.setting)).toEqual(['seccomp', 'ReadonlyRootfs', 'Memory', 'posture']);
    expect(failed.at(-1)!.actual).toMatch(/^minimal \(failed: memory-limit, read-only-rootfs\)/);
  });

  it('refuses a network that lets containers talk or reach out', () => {
    const spec = hardenedCreateSpec('maximum', 'x', [], profile);
    const open = { ...network, options: {} };
    expect(
      verifyHardening('maximum', spec, inspectOf(spec), open).find((r) => r.setting === 'network isolation'),
    ).toMatchObject({
      ok: false,
      actual: 'internal=true, enable_icc=(unset)',
    });
  });

  it('fails an unconfined AppArmor profile', () => {
    const spec = hardenedCreateSpec('standard', 'x', [], profile);
    const got = ContainerInspectSchema.parse({ ...inspectOf(spec), AppArmorProfile: 'unconfined' });
    expect(verifyHardening('standard', spec, got, undefined).find((r) => r.setting === 'apparmor')?.ok).toBe(
      false,
    );
  });
});

describe('audit output', () => {
  it('prints NAME, LEVEL, FAILED and a count per level', () => {
    const spec = hardenedCreateSpec('maximum', 'x', [], profile);
    const entries = [
      auditEntry(inspectOf(spec)),
      { ...auditEntry(inspectOf(spec, { Privileged: true })), container: { id: 'c', name: 'db' } },
    ];
    expect(formatAuditTable(entries)).toBe(
      [
        'NAME  LEVEL    FAILED',
        'hard  MAXIMUM  -',
        'db    NONE     privileged',
        '',
        '2 containers: 1 maximum, 0 standard, 0 minimal, 1 none',
        '',
      ].join('\n'),
    );
    expect(entries[0]).toEqual({
      container: { id: 'b'.repeat(64), name: 'hard' },
      level: 'maximum',
      failed: [],
    });
  });

  it('reads SecurityOpt in both separators, JSON values whole', () => {
    expect(parseSecurityOpt('seccomp={"a":"b=c:d"}')).toEqual({ key: 'seccomp', value: '{"a":"b=c:d"}' });
    expect(parseSecurityOpt('apparmor:unconfined')).toEqual({ key: 'apparmor', value: 'unconfined' });
    expect(hasNoNewPrivileges(['no-new-privileges:true'])).toBe(true);
    expect(hasNoNewPrivileges(['no-new-privileges=false'])).toBe(false);
    expect(hasNoNewPrivileges([])).toBe(false);
  });
});

describe('kernel status', () => {
  const status = [
    'Name:\tsleep',
    'NoNewPrivs:\t1',
    'Seccomp:\t2',
    'Seccomp_filters:\t1',
    'CapEff:\t0000000000000000',
    'CapBnd:\t0000000000000000',
  ].join('\n');

  it('reads seccomp mode, no_new_privs and capabilities from /proc/PID/status', () => {
    expect(parseProcStatus(status)).toEqual({ seccomp: 2, noNewPrivs: 1, capEff: 0n, capBnd: 0n });
    expect(kernelChecks(parseProcStatus(status), true).every((c) => c.ok)).toBe(true);
  });

  it('fails a process the kernel does not confine', () => {
    const loose = status
      .replace('Seccomp:\t2', 'Seccomp:\t0')
      .replace('CapEff:\t0000000000000000', 'CapEff:\t00000000a80425fb');
    const failed = kernelChecks(parseProcStatus(loose), true).filter((c) => !c.ok);
    expect(failed.map((c) => c.setting)).toEqual(['kernel seccomp', 'kernel capabilities']);
    expect(failed[1]!.actual).toBe('CapEff 00000000a80425fb, CapBnd 0000000000000000');
    expect(kernelChecks(parseProcStatus(''), false).map((c) => c.ok)).toEqual([false, false]);
  });
});
