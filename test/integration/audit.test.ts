import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../source/audit/audit-report.js';
import { hardenedCreateSpec } from '../../source/audit/harden-spec.js';
import { loadSeccompProfile, seccompProfilePath } from '../../source/audit/seccomp-files.js';
import { auditCommand } from '../../source/commands/audit.js';
import type { CliFlags, CommandContext } from '../../source/commands/flags.js';
import { parseDockerHost } from '../../source/docker/engine-host.js';
import { runCommand as runInProcess } from '../helpers/command-context.js';
import { TestContainers, testDockerHost, testImage, uniqueName } from '../helpers/engine.js';

/** Runs a brig subcommand in-process against the test engine. */
const runCommand = (
  command: (context: CommandContext) => Promise<number>,
  args: string[],
  flags: Partial<CliFlags> = {},
) => runInProcess(command, args, { dockerHost: [testDockerHost()], ...flags });

/**
 * Created, not started: some hosts (this CI's included) run dockerd without every capability in its
 * bounding set, so a privileged container cannot start there. Its inspect is all the audit reads.
 */
async function createOnly(
  containers: TestContainers,
  prefix: string,
  spec: Record<string, unknown>,
): Promise<{ id: string; name: string }> {
  const name = uniqueName(prefix);
  const id = await containers.port.createContainer({
    name,
    Image: testImage,
    Cmd: ['sleep', '3600'],
    Labels: { 'brig.test': 'true' },
    ...spec,
  });
  containers.created.push(id);
  return { id, name };
}

/** The engine's own socket: a real file on the engine's host to bind-mount (nothing talks to it). */
function engineSocketPath(): string {
  const c = parseDockerHost(testDockerHost(), {});
  return c.kind === 'socket' ? c.socketPath : '/var/run/docker.sock';
}

describe('brig audit against a real engine', () => {
  const containers = new TestContainers();
  const names: Record<string, string> = {};
  // No default bridge needed: grading reads inspect, and these containers need no network.
  const none = { NetworkMode: 'none' };

  beforeAll(async () => {
    const max = await loadSeccompProfile(seccompProfilePath('maximum'));
    const hardened = hardenedCreateSpec('maximum', 'brig-test/busybox:latest', ['sleep', '3600'], max.json);
    const made = await Promise.all([
      containers.run('plain', { HostConfig: none }),
      createOnly(containers, 'privileged', { HostConfig: { ...none, Privileged: true } }),
      containers.run('sysadmin', { HostConfig: { ...none, CapAdd: ['SYS_ADMIN'] } }),
      containers.run('socket', {
        HostConfig: { ...none, Binds: [`${engineSocketPath()}:/var/run/docker.sock`] },
      }),
      containers.run('hardened', {
        User: hardened.User,
        HostConfig: { ...(hardened.HostConfig as object), ...none },
      }),
    ]);
    ['plain', 'privileged', 'sysadmin', 'socket', 'hardened'].forEach((k, i) => (names[k] = made[i]!.name));
  });
  afterAll(() => containers.cleanup());

  it('grades each container as the README rules say (--json, DESIGN §11 shape)', async () => {
    const { code, stdout } = await runCommand(auditCommand, [], { json: true });
    expect(code).toBe(0);
    const entries = JSON.parse(stdout) as AuditEntry[];
    const byName = (key: string) => entries.find((e) => e.container.name === names[key]);
    for (const e of entries) {
      expect(Object.keys(e).sort()).toEqual(['container', 'failed', 'level']);
      expect(Object.keys(e.container).sort()).toEqual(['id', 'name']);
      expect(e.container.id).toMatch(/^[0-9a-f]{64}$/);
    }
    const checks = (key: string) => byName(key)!.failed.map((f) => f.check);

    expect(byName('plain')!.level).toBe('minimal');
    expect(checks('plain')).toEqual([
      'no-new-privileges',
      'memory-limit',
      'pids-limit',
      'cap-drop',
      'read-only-rootfs',
      'user',
      'cpu-limit',
    ]);

    expect(byName('privileged')!.level).toBe('none');
    expect(checks('privileged')[0]).toBe('privileged');

    expect(byName('sysadmin')!.level).toBe('none');
    expect(byName('sysadmin')!.failed.find((f) => f.check === 'cap-add')!.detail).toMatch(/SYS_ADMIN/);

    expect(byName('socket')!.level).toBe('none');
    expect(byName('socket')!.failed.find((f) => f.check === 'docker-socket')!.detail).toContain(
      `${engineSocketPath()} mounted at /var/run/docker.sock`,
    );

    expect(byName('hardened')).toMatchObject({ level: 'maximum', failed: [] });
  });

  it('prints a readable table with NAME, LEVEL and the failed checks', async () => {
    const { code, stdout } = await runCommand(auditCommand, []);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^NAME\s+LEVEL\s+FAILED$/);
    const row = (key: string) => lines.find((l) => l.startsWith(`${names[key]} `))!;
    expect(row('hardened')).toMatch(/\sMAXIMUM\s+-$/);
    expect(row('privileged')).toMatch(/\sNONE\s+privileged/);
    expect(row('plain')).toMatch(/\sMINIMAL\s+no-new-privileges, memory-limit, pids-limit, cap-drop/);
    expect(stdout).toMatch(/\d+ containers: \d+ maximum, \d+ standard, \d+ minimal, \d+ none\n$/);
  });

  it('exits 3 naming the host when no engine answers', async () => {
    await expect(
      runCommand(auditCommand, [], { dockerHost: ['unix:///tmp/brig-no-such-engine.sock'] }),
    ).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringContaining('/tmp/brig-no-such-engine.sock'),
    });
  });
});
