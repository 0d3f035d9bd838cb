import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../source/audit/audit-report.js';
import { hardenedCreateSpec, hardenedNetwork } from '../../source/audit/harden-spec.js';
import {
  loadSeccompProfile,
  seccompProfilePath,
  type HardenLevel,
} from '../../source/audit/seccomp-files.js';
import { verifyHardening } from '../../source/audit/verify-hardening.js';
import { auditCommand } from '../../source/commands/audit.js';
import type { CliFlags, CommandContext } from '../../source/commands/flags.js';
import { hardenCommand } from '../../source/commands/harden.js';
import { runCommand as runInProcess } from '../helpers/command-context.js';
import { TestContainers, testDockerHost, testImage } from '../helpers/engine.js';

const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs a brig subcommand in-process against the test engine. */
const runCommand = (
  command: (context: CommandContext) => Promise<number>,
  args: string[],
  flags: Partial<CliFlags> = {},
) => runInProcess(command, args, { dockerHost: [testDockerHost()], ...flags });

/** The id `brig harden --run` reports on its last line: "NAME ID STATE: …". */
const startedId = (stdout: string) => /^\S+ ([0-9a-f]{64}) /m.exec(stdout)?.[1];

describe('brig harden', () => {
  const containers = new TestContainers();
  let networkExisted = true;

  beforeAll(async () => {
    networkExisted = (await containers.port.listNetworks()).some((n) => n.name === hardenedNetwork.name);
  });
  afterAll(async () => {
    await containers.cleanup();
    // Leave an operator's network alone; remove only the one this run made.
    if (!networkExisted) await containers.port.removeNetwork(hardenedNetwork.name).catch(() => undefined);
  });

  it('prints the Engine API create body with the profile inlined', async () => {
    const { code, stdout } = await runCommand(hardenCommand, ['standard', testImage, 'sleep', '5']);
    expect(code).toBe(0);
    const body = JSON.parse(stdout) as {
      Image: string;
      Cmd: string[];
      HostConfig: { SecurityOpt: string[] };
    };
    const { json } = await loadSeccompProfile(seccompProfilePath('standard'));
    expect(body).toMatchObject({ Image: testImage, Cmd: ['sleep', '5'] });
    expect(body.HostConfig.SecurityOpt).toEqual(['no-new-privileges', `seccomp=${json}`]);
  });

  it('refuses a bad level or a missing image as usage errors', async () => {
    await expect(runCommand(hardenCommand, ['extreme', testImage])).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("unknown level 'extreme'"),
    });
    await expect(runCommand(hardenCommand, ['maximum'])).rejects.toMatchObject({ exitCode: 2 });
  });

  it('--run maximum starts a container, proves every setting, and brig audit grades it maximum', async () => {
    const { code, stdout } = await runCommand(hardenCommand, ['maximum', testImage, 'sleep', '3600'], {
      run: true,
    });
    const id = startedId(stdout);
    if (id) containers.created.push(id);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/^FAIL/m);
    for (const setting of [
      'cap-drop',
      'no-new-privileges',
      'seccomp',
      'ReadonlyRootfs',
      'user',
      'network isolation',
      'posture',
    ])
      expect(stdout).toMatch(new RegExp(`^ok\\s+${setting}\\s`, 'm'));
    expect(stdout).toMatch(/running: hardened to maximum, all \d+ settings in effect/);
    // The engine runs on this host: the kernel's own view of the process is checked too.
    if (testDockerHost().startsWith('unix://'))
      for (const setting of ['kernel seccomp', 'kernel no_new_privs', 'kernel capabilities'])
        expect(stdout).toMatch(new RegExp(`^ok\\s+${setting}\\s`, 'm'));

    const network = await containers.port.inspectNetwork(hardenedNetwork.name);
    expect(network).toMatchObject({
      internal: true,
      options: { 'com.docker.network.bridge.enable_icc': 'false' },
    });

    const audit = JSON.parse((await runCommand(auditCommand, [], { json: true })).stdout) as AuditEntry[];
    expect(audit.find((e) => e.container.id === id)).toMatchObject({ level: 'maximum', failed: [] });
  });

  it('through the built CLI: arguments after -- reach the container untouched', async () => {
    expect(existsSync(cli), `${cli} missing: run npm run build`).toBe(true);
    const env = { ...process.env, DOCKER_HOST: testDockerHost() };
    const run = promisify(execFile);
    const { stdout } = await run(
      'node',
      [cli, 'harden', 'maximum', '--run', '--', testImage, 'sh', '-c', 'sleep 3600 --json'],
      { env },
    );
    const id = startedId(stdout)!;
    containers.created.push(id);
    const inspect = await containers.port.inspectContainer(id);
    expect((inspect.Config as { Cmd?: string[] }).Cmd).toEqual(['sh', '-c', 'sleep 3600 --json']);
    const audit = JSON.parse((await run('node', [cli, 'audit', '--json'], { env })).stdout) as AuditEntry[];
    expect(audit.find((e) => e.container.id === id)?.level).toBe('maximum');
  });

  it('--run standard starts on the default network and grades standard', async () => {
    const { code, stdout } = await runCommand(hardenCommand, ['standard', testImage, 'sleep', '3600'], {
      run: true,
    });
    const id = startedId(stdout);
    if (id) containers.created.push(id);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok\s+posture\s+standard \(failed: cap-drop, read-only-rootfs, user\)$/m);
    expect(stdout).toMatch(/running: hardened to standard, all \d+ settings in effect/);
  });

  it.each(['minimal', 'standard'] as HardenLevel[])(
    '%s settings are all in effect on the real engine',
    async (level) => {
      const { json } = await loadSeccompProfile(seccompProfilePath(level));
      const spec = hardenedCreateSpec(level, testImage, ['sleep', '3600'], json);
      // This engine's default bridge may be absent; the network is not what these levels set.
      spec.HostConfig = { ...(spec.HostConfig as object), NetworkMode: 'none' };
      const { id } = await containers.run(`harden-${level}`, spec);
      const results = verifyHardening(level, spec, await containers.port.inspectContainer(id), undefined);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    },
  );

  it('names every setting the engine did not apply', async () => {
    const { json } = await loadSeccompProfile(seccompProfilePath('maximum'));
    const asked = hardenedCreateSpec('maximum', testImage, ['sleep', '3600'], json);
    const hc: Record<string, unknown> = {
      ...(asked.HostConfig as Record<string, unknown>),
      NetworkMode: 'none',
    };
    asked.HostConfig = hc;
    // What a careless runtime might hand back: the same request minus the root-fs and memory settings.
    const { ReadonlyRootfs: _ro, Memory: _m, MemorySwap: _s, ...weaker } = hc;
    const { id } = await containers.run('harden-weak', { ...asked, HostConfig: weaker });
    const failed = verifyHardening('maximum', asked, await containers.port.inspectContainer(id), undefined)
      .filter((r) => !r.ok)
      .map((r) => r.setting);
    expect(failed).toEqual(['ReadonlyRootfs', 'Memory', 'MemorySwap', 'posture']);
  });

  it('fails with a hint when the image is not on the engine', async () => {
    await expect(
      runCommand(hardenCommand, ['minimal', 'brig-test/no-such-image:never'], { run: true }),
    ).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('pull brig-test/no-such-image:never'),
    });
  });
});
