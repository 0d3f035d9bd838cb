import { hardenedCreateSpec, hardenedNetwork } from '../audit/harden-spec.js';
import {
  hardenLevels,
  loadSeccompProfile,
  seccompProfilePath,
  type HardenLevel,
} from '../audit/seccomp-files.js';
import { kernelChecks, readKernelStatus } from '../audit/process-status.js';
import { verifyHardening, type SettingCheck } from '../audit/verify-hardening.js';
import type { CreateContainerSpec, DockerPort, NetworkInfo } from '../docker/docker-port.js';
import { isDockerError } from '../docker/errors.js';
import { connectEngines } from './engine-check.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

const usage = 'usage: brig harden minimal|standard|maximum [--run] -- IMAGE [CMD...]';

/**
 * `brig harden LEVEL [--run] -- IMAGE [CMD…]`: print the Engine API create body for a container
 * hardened to LEVEL, or create and start it, then prove from `docker inspect` that every setting took.
 */
export async function hardenCommand(context: CommandContext): Promise<number> {
  const [level, image, ...cmd] = context.args;
  if (level === undefined || !hardenLevels.includes(level as HardenLevel))
    throw new CliError(
      `brig harden: ${level === undefined ? 'missing LEVEL' : `unknown level '${level}'`}\n${usage}`,
      exitCodes.usage,
    );
  if (image === undefined || image.trim() === '')
    throw new CliError(`brig harden: missing IMAGE\n${usage}`, exitCodes.usage);

  let seccomp;
  try {
    seccomp = await loadSeccompProfile(seccompProfilePath(level as HardenLevel));
  } catch (error) {
    throw new CliError(`brig harden: seccomp profile: ${(error as Error).message}`, exitCodes.invalid);
  }
  const spec = hardenedCreateSpec(level as HardenLevel, image, cmd, seccomp.json);

  if (!context.flags.run) {
    context.stdout.write(`${JSON.stringify(spec, null, 2)}\n`);
    if (level === 'maximum')
      context.stderr.write(
        `brig harden: needs the network ${hardenedNetwork.name} (internal, enable_icc=false); --run creates it when missing.\n`,
      );
    return exitCodes.ok;
  }

  if (context.flags.dockerHost.length > 1)
    throw new CliError(
      'brig harden --run: give one --docker-host: a container is created on one engine',
      exitCodes.usage,
    );
  const [port] = await connectEngines(context.flags.dockerHost, context.env, (m) =>
    context.stderr.write(`${m}\n`),
  );
  return runHardened(port!, level as HardenLevel, spec, context);
}

async function runHardened(
  port: DockerPort,
  level: HardenLevel,
  spec: CreateContainerSpec,
  context: CommandContext,
): Promise<number> {
  const out = (line: string) => context.stdout.write(`${line}\n`);
  let network: NetworkInfo | undefined;
  if (spec.HostConfig && (spec.HostConfig as Record<string, unknown>).NetworkMode === hardenedNetwork.name)
    network = await ensureHardenedNetwork(port);

  let id: string;
  try {
    id = await port.createContainer(spec);
  } catch (error) {
    const hint = isDockerError(error, 'not-found')
      ? ` (pull ${String(spec.Image)} on ${port.host} first)`
      : '';
    throw new CliError(`brig harden: create failed: ${(error as Error).message}${hint}`, exitCodes.invalid);
  }
  try {
    await port.start(id);
  } catch (error) {
    await port.removeContainer(id).catch(() => undefined);
    throw new CliError(
      `brig harden: the container did not start, removed it: ${(error as Error).message}`,
      exitCodes.invalid,
    );
  }
  const inspect = await port.inspectContainer(id);
  if (network) network = await port.inspectNetwork(hardenedNetwork.name).catch(() => undefined);
  const results = verifyHardening(level, spec, inspect, network);
  const kernel = await readKernelStatus(inspect.State.Pid ?? 0, id);
  if (kernel) results.push(...kernelChecks(kernel, level === 'maximum'));
  else if (inspect.State.Running)
    context.stderr.write(
      'brig harden: kernel status not checked (engine not on this host, or another PID namespace)\n',
    );
  out(formatResults(results));

  const name = inspect.Name.replace(/^\//, '');
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) {
    await port.removeContainer(id).catch(() => undefined);
    throw new CliError(
      `brig harden: ${failed.length} setting${failed.length === 1 ? '' : 's'} not in effect: ` +
        `${failed.map((r) => `${r.setting} (expected ${r.expected}, got ${r.actual})`).join('; ')}. ` +
        `Removed ${name} (${id.slice(0, 12)}): it is not the container you asked for.`,
      exitCodes.invalid,
    );
  }
  const state = inspect.State.Running ? 'running' : `${inspect.State.Status}`;
  out(`${name} ${id} ${state}: hardened to ${level}, all ${results.length} settings in effect`);
  return exitCodes.ok;
}

/** Create `brig-hardened` if missing; an existing one that is not internal and no-ICC is refused. */
async function ensureHardenedNetwork(port: DockerPort): Promise<NetworkInfo> {
  const find = () =>
    port.inspectNetwork(hardenedNetwork.name).catch((error: unknown) => {
      if (isDockerError(error, 'not-found')) return undefined;
      throw error;
    });
  let network = await find();
  if (!network) {
    try {
      await port.createNetwork(hardenedNetwork);
    } catch (error) {
      // Someone else created it in the meantime: take theirs, checked below like any other.
      if (!isDockerError(error, 'conflict')) throw error;
    }
    network = await find();
  }
  const icc = network?.options['com.docker.network.bridge.enable_icc'];
  if (!network || !network.internal || icc !== 'false')
    throw new CliError(
      `brig harden: network ${hardenedNetwork.name} exists but is not internal with enable_icc=false ` +
        `(internal=${network?.internal}, enable_icc=${icc ?? 'unset'}); remove it and Brig recreates it.`,
      exitCodes.invalid,
    );
  return network;
}

function formatResults(results: readonly SettingCheck[]): string {
  const width = Math.max(...results.map((r) => r.setting.length));
  return results
    .map((r) => {
      const status = r.ok ? 'ok  ' : 'FAIL';
      const detail = r.ok ? r.actual : `expected ${r.expected}, got ${r.actual}`;
      return `${status}  ${r.setting.padEnd(width)}  ${detail}${r.note ? `  (${r.note})` : ''}`;
    })
    .join('\n');
}
