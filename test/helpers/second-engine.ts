import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DockerodePort } from '../../source/docker/dockerode-port.js';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));

/**
 * A disposable private engine of one test file's own, beside the shared test engine: it can be
 * stopped and started without disturbing anything else. It gets its own bridge interface (never
 * --bridge=none, which makes dockerd delete docker0 under the shared engine).
 */
export function secondEngine(name: string, bip: string) {
  const dir = `/tmp/brig-${name}-${process.pid}`;
  const env = {
    ...process.env,
    BRIG_ENGINE_DIR: dir,
    BRIG_ENGINE_BRIDGE: `brig${name.slice(0, 3)}${process.pid % 10000}`,
    BRIG_ENGINE_BIP: bip,
  };
  const engine = (command: 'up' | 'down') => run('bash', [script, command], { env, timeout: 180_000 });
  return {
    dir,
    host: `unix://${dir}/docker.sock`,
    port: () => new DockerodePort(`unix://${dir}/docker.sock`),
    up: () => engine('up'),
    down: () => engine('down'),
    async remove() {
      await engine('down');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
