import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  hardenLevels,
  loadSeccompProfile,
  seccompDirectory,
  seccompProfilePath,
  type LoadedProfile,
} from '../../source/audit/seccomp-files.js';
import { classifySeccomp, type SeccompProfile } from '../../source/audit/seccomp-profile.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const load = async (): Promise<Record<string, LoadedProfile>> =>
  Object.fromEntries(
    await Promise.all(hardenLevels.map(async (l) => [l, await loadSeccompProfile(seccompProfilePath(l))])),
  );

/** Names a rule without argument conditions lets through (or denies) outright. */
function unconditional(p: SeccompProfile, action: 'allow' | 'deny'): Set<string> {
  return new Set(
    p.syscalls
      .filter(
        (s) =>
          !s.args && (action === 'allow' ? s.action === 'SCMP_ACT_ALLOW' : s.action === 'SCMP_ACT_ERRNO'),
      )
      .flatMap((s) => s.names),
  );
}

const escapes = [
  'mount',
  'umount2',
  'unshare',
  'setns',
  'ptrace',
  'bpf',
  'kexec_load',
  'kexec_file_load',
  'init_module',
  'finit_module',
  'delete_module',
  'reboot',
  'swapon',
  'swapoff',
  'pivot_root',
  'keyctl',
  'add_key',
  'perf_event_open',
  'userfaultfd',
  'open_by_handle_at',
  'process_vm_writev',
  'io_uring_setup',
];

describe('seccomp profiles', () => {
  it('ships exactly minimal, standard and maximum, each valid for Docker', async () => {
    expect(readdirSync(seccompDirectory).sort()).toEqual(['maximum.json', 'minimal.json', 'standard.json']);
    const profiles = await load();
    for (const level of hardenLevels) {
      expect(profiles[level]!.profile.architectures).toContain('SCMP_ARCH_X86_64');
      expect(JSON.parse(profiles[level]!.json)).toEqual(profiles[level]!.profile);
    }
  });

  it('minimal allows by default and denies every escape route', async () => {
    const { minimal } = await load();
    expect(minimal!.profile.defaultAction).toBe('SCMP_ACT_ALLOW');
    const denied = unconditional(minimal!.profile, 'deny');
    for (const name of escapes) expect(denied, name).toContain(name);
    expect(classifySeccomp([minimal!.json])).toEqual({ kind: 'denylist' });
  });

  it('standard and maximum deny by default and allow none of the escape routes', async () => {
    const { standard, maximum } = await load();
    for (const p of [standard!, maximum!]) {
      expect(p.profile.defaultAction).toBe('SCMP_ACT_ERRNO');
      expect(classifySeccomp([p.json])).toEqual({ kind: 'allowlist' });
      const allowedAnyhow = p.profile.syscalls
        .filter((s) => s.action === 'SCMP_ACT_ALLOW')
        .flatMap((s) => s.names);
      for (const name of escapes) expect(allowedAnyhow, name).not.toContain(name);
    }
  });

  it('allows clone only without namespace flags, and answers clone3 with ENOSYS', async () => {
    const { standard, maximum } = await load();
    for (const p of [standard!, maximum!]) {
      const clone = p.profile.syscalls.filter((s) => s.names.includes('clone'));
      expect(clone).toEqual([
        expect.objectContaining({
          action: 'SCMP_ACT_ALLOW',
          args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }],
        }),
      ]);
      expect(p.profile.syscalls.find((s) => s.names.includes('clone3'))).toMatchObject({
        action: 'SCMP_ACT_ERRNO',
        errnoRet: 38,
      });
    }
  });

  it('maximum is a strict subset of standard, which keeps what services need', async () => {
    const { standard, maximum } = await load();
    const std = unconditional(standard!.profile, 'allow');
    const max = unconditional(maximum!.profile, 'allow');
    for (const name of max) expect(std, name).toContain(name);
    expect(max.size).toBeLessThan(std.size);
    for (const name of ['chown', 'chroot', 'shmget', 'mknod', 'setxattr', 'personality', 'mq_open'])
      expect(max, name).not.toContain(name);
    for (const name of ['execve', 'accept4', 'epoll_wait', 'futex', 'sendfile', 'wait4'])
      expect(max, name).toContain(name);
  });

  it('names the file and the field of a bad profile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'brig-seccomp-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ defaultAction: 'SCMP_ACT_NOPE', architectures: ['SCMP_ARCH_X86_64'], syscalls: [] }),
    );
    await expect(loadSeccompProfile(bad)).rejects.toThrow(`${bad}: defaultAction:`);
    writeFileSync(bad, '{"defaultAction":');
    await expect(loadSeccompProfile(bad)).rejects.toThrow(`${bad}: not JSON`);
    await expect(loadSeccompProfile(join(dir, 'missing.json'))).rejects.toThrow(
      /missing\.json: cannot read: ENOENT/,
    );
  });
});
