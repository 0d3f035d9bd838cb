import { afterAll, describe, expect, it } from 'vitest';
import { hardenedCreateSpec } from '../../source/audit/harden-spec.js';
import {
  loadSeccompProfile,
  seccompProfilePath,
  type HardenLevel,
} from '../../source/audit/seccomp-files.js';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { TestContainers } from '../helpers/engine.js';

/**
 * The container's own verdict, as its exit code: 20-22 = it could not run its service (a profile too
 * tight), 11/12 = mount/unshare went through, 42 = it served a page to itself over loopback and both
 * blocked calls failed. It never talks to anything outside itself.
 */
const script = [
  'mkdir -p /tmp/www && echo brig-ok > /tmp/www/index.html || exit 20',
  'httpd -p 127.0.0.1:8080 -h /tmp/www || exit 21',
  '[ "$(wget -q -O - http://127.0.0.1:8080/)" = brig-ok ] || exit 22',
  'ls / >/dev/null && date >/dev/null && sleep 0.1 || exit 23',
  'mount -t tmpfs none /tmp 2>/dev/null && exit 11',
  'unshare -m true 2>/dev/null && exit 12',
  'exit 42',
].join('\n');

async function exitCode(port: DockerPort, id: string): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const inspect = await port.inspectContainer(id);
    if (inspect.State.Status === 'exited') return (inspect.State as { ExitCode?: number }).ExitCode ?? -1;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${id.slice(0, 12)} still running after 30 s`);
}

describe('seccomp profiles on the real engine', () => {
  const containers = new TestContainers();
  afterAll(() => containers.cleanup());

  // Root with CAP_SYS_ADMIN: only seccomp stands between the shell and mount/unshare.
  const asRootWithSysAdmin = (securityOpt: string[]) => ({
    Cmd: ['sh', '-c', script],
    HostConfig: { NetworkMode: 'none', CapAdd: ['SYS_ADMIN'], SecurityOpt: securityOpt },
  });

  it("control: under Docker's default profile, CAP_SYS_ADMIN lets the same mount through", async () => {
    const { id } = await containers.run('seccomp-control', asRootWithSysAdmin([]));
    expect(await exitCode(containers.port, id)).toBe(11);
  });

  it.each(['minimal', 'standard', 'maximum'] as HardenLevel[])(
    '%s: mount and unshare fail while the shell, sleep and httpd keep working',
    async (level) => {
      const { json } = await loadSeccompProfile(seccompProfilePath(level));
      const { id } = await containers.run(`seccomp-${level}`, asRootWithSysAdmin([`seccomp=${json}`]));
      expect(await exitCode(containers.port, id)).toBe(42);
    },
  );

  it.each(['standard', 'maximum'] as HardenLevel[])(
    '%s: the full hardened settings still run the service, and the blocked calls still fail',
    async (level) => {
      const { json } = await loadSeccompProfile(seccompProfilePath(level));
      const spec = hardenedCreateSpec(level, 'brig-test/busybox:latest', ['sh', '-c', script], json);
      // standard keeps /tmp on the (writable) root filesystem; maximum has its tmpfs.
      const { id } = await containers.run(`hardened-${level}`, {
        ...spec,
        HostConfig: { ...(spec.HostConfig as object), NetworkMode: 'none' },
      });
      expect(await exitCode(containers.port, id)).toBe(42);
    },
  );

  it('maximum is tighter than standard: chroot (a default capability) works under standard only', async () => {
    const run = async (level: HardenLevel) => {
      const { json } = await loadSeccompProfile(seccompProfilePath(level));
      const { id } = await containers.run(`chroot-${level}`, {
        Cmd: ['sh', '-c', 'chroot / true 2>/dev/null && exit 7; exit 9'],
        HostConfig: { NetworkMode: 'none', SecurityOpt: [`seccomp=${json}`] },
      });
      return exitCode(containers.port, id);
    };
    expect(await run('standard')).toBe(7);
    expect(await run('maximum')).toBe(9);
  });
});
