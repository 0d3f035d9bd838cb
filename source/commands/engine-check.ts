import type { DockerPort } from '../docker/docker-port.js';
import { DockerodePort } from '../docker/dockerode-port.js';
import { resolveDockerHosts } from '../docker/engine-host.js';
import { isDockerError } from '../docker/errors.js';
import type { ContainerInspect } from '../docker/inspect.js';
import { CliError, exitCodes } from './exit-codes.js';

export function unreachableMessage(host: string, detail: string): string {
  return (
    `brig: cannot reach the Docker engine at ${host} (${detail}).\n` +
    `  Start Docker there, point DOCKER_HOST or --docker-host at a running engine,\n` +
    `  or run 'sudo scripts/engine.sh up' for Brig's private engine (then: export $(scripts/engine.sh env)).`
  );
}

/**
 * Open a port per engine and ping each. All unreachable = exit 3 naming every host; some
 * unreachable = those are reported (their containers show as stale) and Brig carries on.
 */
export async function connectEngines(
  hostFlags: readonly string[],
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void,
): Promise<DockerPort[]> {
  const hosts = resolveDockerHosts(hostFlags, env);
  const ports: DockerPort[] = [];
  for (const host of hosts) {
    try {
      ports.push(new DockerodePort(host, env));
    } catch (error) {
      throw new CliError(`brig: ${(error as Error).message}`, exitCodes.usage);
    }
  }
  const results = await Promise.all(
    ports.map(async (port) => {
      try {
        await port.ping();
        return undefined;
      } catch (error) {
        return unreachableMessage(port.host, (error as Error).message.replace(/ \(engine [^)]*\)$/, ''));
      }
    }),
  );
  const failures = results.filter((r): r is string => r !== undefined);
  if (failures.length === ports.length) throw new CliError(failures.join('\n'), exitCodes.unreachable);
  failures.forEach(warn);
  return ports;
}

/**
 * `docker inspect` of every container on every engine, for the one-shot commands (audit, explain).
 * A container removed between list and inspect is simply gone; other failures are reported, not fatal.
 */
export async function inspectAll(
  ports: readonly DockerPort[],
  warn: (message: string) => void,
  command: string,
): Promise<{ inspect: ContainerInspect; engine: string }[]> {
  const found: { inspect: ContainerInspect; engine: string }[] = [];
  for (const port of ports) {
    let ids: string[];
    try {
      ids = await port.listContainerIds();
    } catch (error) {
      // connectEngines already named the unreachable ones; anything else is worth a line.
      if (!isDockerError(error, 'unreachable'))
        warn(`brig ${command}: ${port.host}: ${(error as Error).message}`);
      continue;
    }
    for (const id of ids) {
      try {
        found.push({ inspect: await port.inspectContainer(id), engine: port.host });
      } catch (error) {
        if (!isDockerError(error, 'not-found'))
          warn(`brig ${command}: ${id.slice(0, 12)}: ${(error as Error).message}`);
      }
    }
  }
  return found;
}
