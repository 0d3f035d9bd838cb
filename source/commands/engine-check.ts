import type { DockerPort } from '../docker/docker-port.js';
import { DockerodePort } from '../docker/dockerode-port.js';
import { resolveDockerHosts } from '../docker/engine-host.js';
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
