import { readFileSync } from 'node:fs';
import path from 'node:path';

export type EngineConnection =
  | { kind: 'socket'; host: string; socketPath: string }
  | {
      kind: 'tcp';
      host: string;
      hostname: string;
      port: number;
      protocol: 'http' | 'https';
      ca?: Buffer;
      cert?: Buffer;
      key?: Buffer;
    };

export const defaultDockerHost = 'unix:///var/run/docker.sock';

/** The engines to watch: --docker-host flags, else DOCKER_HOST, else the local socket (DESIGN §8). */
export function resolveDockerHosts(flags: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (flags.length > 0) return [...new Set(flags)];
  return [env.DOCKER_HOST?.trim() || defaultDockerHost];
}

/** Parse a DOCKER_HOST-style URL. TLS for tcp:// follows Docker's DOCKER_TLS_VERIFY / DOCKER_CERT_PATH. */
export function parseDockerHost(host: string, env: NodeJS.ProcessEnv = process.env): EngineConnection {
  if (host.startsWith('unix://')) {
    const socketPath = host.slice('unix://'.length);
    if (!socketPath.startsWith('/'))
      throw new Error(`--docker-host ${host}: a unix socket path must be absolute`);
    return { kind: 'socket', host, socketPath };
  }
  if (host.startsWith('/')) return { kind: 'socket', host: `unix://${host}`, socketPath: host };
  if (host.startsWith('tcp://') || host.startsWith('http://') || host.startsWith('https://')) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    const certPath = env.DOCKER_CERT_PATH;
    const tls =
      host.startsWith('https://') ||
      Boolean(env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0') ||
      Boolean(certPath);
    const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
    if (!tls) return { kind: 'tcp', host, hostname: url.hostname, port, protocol: 'http' };
    const dir = certPath || path.join(env.HOME ?? '', '.docker');
    const read = (file: string) => readFileSync(path.join(dir, file));
    return {
      kind: 'tcp',
      host,
      hostname: url.hostname,
      port,
      protocol: 'https',
      ca: read('ca.pem'),
      cert: read('cert.pem'),
      key: read('key.pem'),
    };
  }
  throw new Error(`--docker-host ${host}: expected unix:///path/to/docker.sock or tcp://host:port`);
}
