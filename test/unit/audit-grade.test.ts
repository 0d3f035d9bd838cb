import { describe, expect, it } from 'vitest';
import { gradePosture } from '../../source/audit/grade.js';
import { ContainerInspectSchema, type ContainerInspect } from '../../source/docker/inspect.js';

const id = 'a'.repeat(64);

/** A container as plain `docker run IMAGE` leaves it. */
function inspect(
  hostConfig: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): ContainerInspect {
  return ContainerInspectSchema.parse({
    Id: id,
    Name: '/web-1',
    State: { Status: 'running' },
    Config: { Image: 'nginx:1.27', User: '' },
    AppArmorProfile: '',
    Mounts: [],
    HostConfig: {
      NetworkMode: 'bridge',
      IpcMode: 'private',
      PidMode: '',
      CapAdd: null,
      CapDrop: null,
      SecurityOpt: null,
      ...hostConfig,
    },
    ...extra,
  });
}

const hardened = {
  CapDrop: ['ALL'],
  SecurityOpt: [
    'no-new-privileges',
    'seccomp={"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[]}',
  ],
  ReadonlyRootfs: true,
  Memory: 268435456,
  MemorySwap: 268435456,
  NanoCpus: 500000000,
  PidsLimit: 128,
};
const nonRoot = { Config: { Image: 'x', User: '65534:65534' } };

const checks = (p: { failed: { check: string }[] }) => p.failed.map((f) => f.check);

describe('gradePosture', () => {
  it('grades a plain container minimal and names every missing setting', () => {
    const p = gradePosture(inspect());
    expect(p.level).toBe('minimal');
    expect(checks(p)).toEqual([
      'no-new-privileges',
      'memory-limit',
      'pids-limit',
      'cap-drop',
      'read-only-rootfs',
      'user',
      'cpu-limit',
    ]);
  });

  it('grades a fully hardened container maximum with nothing failed', () => {
    expect(gradePosture(inspect(hardened, nonRoot))).toEqual({ level: 'maximum', failed: [] });
  });

  it('is standard when only the maximum-level settings are missing', () => {
    const p = gradePosture(
      inspect({ SecurityOpt: ['no-new-privileges:true'], Memory: 1 << 29, PidsLimit: 512, CpuQuota: 50000 }),
    );
    expect(p.level).toBe('standard');
    expect(checks(p)).toEqual(['cap-drop', 'read-only-rootfs', 'user']);
  });

  it('grades privileged none whatever else it has', () => {
    const p = gradePosture(inspect({ ...hardened, Privileged: true }, nonRoot));
    expect(p).toMatchObject({ level: 'none', failed: [{ check: 'privileged' }] });
  });

  it('grades a mounted Docker socket none whatever else it has, however it is mounted', () => {
    const viaMounts = inspect(hardened, {
      ...nonRoot,
      Mounts: [
        {
          Type: 'bind',
          Source: '/tmp/brig-engine/docker.sock',
          Destination: '/var/run/docker.sock',
          RW: true,
        },
      ],
    });
    expect(gradePosture(viaMounts)).toMatchObject({ level: 'none', failed: [{ check: 'docker-socket' }] });
    const viaBinds = inspect({ ...hardened, Binds: ['/var/run/docker.sock:/sock:ro'] }, nonRoot);
    expect(gradePosture(viaBinds).level).toBe('none');
    const viaRunDir = inspect({ ...hardened, Binds: ['/run:/host-run:ro'] }, nonRoot);
    expect(gradePosture(viaRunDir).failed[0]!.detail).toMatch(/holds the engine socket/);
  });

  it('grades dangerous added capabilities none, others lower by what they add', () => {
    expect(gradePosture(inspect({ CapAdd: ['SYS_ADMIN'] }))).toMatchObject({ level: 'none' });
    expect(gradePosture(inspect({ CapAdd: ['cap_sys_ptrace'] })).level).toBe('none');
    const extra = gradePosture(inspect({ ...hardened, CapAdd: ['IPC_LOCK'] }, nonRoot));
    expect(extra).toMatchObject({ level: 'minimal', failed: [{ check: 'cap-add' }] });
    const back = gradePosture(inspect({ ...hardened, CapAdd: ['NET_BIND_SERVICE'] }, nonRoot));
    expect(back).toMatchObject({ level: 'standard', failed: [{ check: 'cap-add' }] });
  });

  it('grades host namespaces none', () => {
    for (const [field, check] of [
      ['NetworkMode', 'host-network'],
      ['PidMode', 'host-pid'],
      ['IpcMode', 'host-ipc'],
    ] as const) {
      const p = gradePosture(inspect({ ...hardened, [field]: 'host' }, nonRoot));
      expect(p).toEqual({ level: 'none', failed: [{ check, detail: expect.any(String) }] });
    }
  });

  it('tells writable sensitive mounts from read-only ones and ignores volumes and the time zone', () => {
    const mount = (Source: string, RW: boolean, Type = 'bind') =>
      inspect(hardened, {
        ...nonRoot,
        Mounts: [{ Type, Source, Destination: '/m', RW }],
      });
    expect(gradePosture(mount('/etc', true)).level).toBe('none');
    expect(gradePosture(mount('/proc', false))).toMatchObject({
      level: 'minimal',
      failed: [{ check: 'sensitive-mount' }],
    });
    expect(gradePosture(mount('/etc/localtime', false)).level).toBe('maximum');
    expect(gradePosture(mount('/srv/data', true)).level).toBe('maximum');
    expect(gradePosture(mount('/var/lib/docker/volumes/x/_data', true, 'volume')).level).toBe('maximum');
    expect(gradePosture(mount('/var/lib/docker/', true)).level).toBe('none');
  });

  it('grades seccomp: unconfined none, a default-allow profile minimal, an allowlist like the default', () => {
    const withOpt = (opt: string) =>
      gradePosture(inspect({ ...hardened, SecurityOpt: ['no-new-privileges', opt] }, nonRoot));
    expect(withOpt('seccomp=unconfined')).toMatchObject({ level: 'none', failed: [{ check: 'seccomp' }] });
    expect(withOpt('seccomp:unconfined').level).toBe('none');
    expect(withOpt('seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}')).toMatchObject({
      level: 'minimal',
      failed: [{ check: 'seccomp', detail: expect.stringMatching(/allows every syscall/) }],
    });
    expect(withOpt('seccomp={oops').failed[0]!.detail).toMatch(/not JSON/);
    expect(gradePosture(inspect({ ...hardened, SecurityOpt: ['no-new-privileges'] }, nonRoot)).level).toBe(
      'maximum',
    );
  });

  it('grades AppArmor unconfined none, and an AppArmor-less host as no failure', () => {
    expect(
      gradePosture(
        inspect({ ...hardened, SecurityOpt: ['no-new-privileges', 'apparmor=unconfined'] }, nonRoot),
      ).level,
    ).toBe('none');
    expect(gradePosture(inspect(hardened, { ...nonRoot, AppArmorProfile: 'unconfined' })).level).toBe('none');
    expect(gradePosture(inspect(hardened, { ...nonRoot, AppArmorProfile: 'docker-default' })).level).toBe(
      'maximum',
    );
  });

  it('reads root in every spelling', () => {
    for (const User of ['', 'root', '0', '0:0', 'root:staff']) {
      expect(checks(gradePosture(inspect(hardened, { Config: { Image: 'x', User } })))).toEqual(['user']);
    }
    expect(gradePosture(inspect(hardened, { Config: { Image: 'x', User: 'nobody' } })).level).toBe('maximum');
  });

  it('names a malformed field instead of guessing', () => {
    const p = gradePosture(inspect({ CapAdd: 'SYS_ADMIN' }));
    expect(p).toEqual({
      level: 'none',
      failed: [{ check: 'inspect', detail: expect.stringMatching(/^cannot grade: HostConfig\.CapAdd/) }],
    });
  });

  it('lists every failure when several apply', () => {
    const p = gradePosture(inspect({ Privileged: true, CapAdd: ['SYS_ADMIN'], PidMode: 'host' }));
    expect(checks(p).slice(0, 3)).toEqual(['privileged', 'host-pid', 'cap-add']);
  });
});
