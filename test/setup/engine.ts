import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
  }
}

const engineScript = fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url));

/**
 * Tests run against BRIG_TEST_DOCKER_HOST when set, otherwise against the private engine of
 * scripts/engine.sh, which this brings up (installing Docker as root if needed). A test run never
 * touches the user's own Docker by accident. No engine = the run fails here, loudly: integration
 * tests never skip.
 */
export default function setup(project: TestProject): void {
  let host = process.env.BRIG_TEST_DOCKER_HOST;
  if (!host) {
    try {
      execFileSync('bash', [engineScript, 'up'], {
        stdio: ['ignore', 'inherit', 'inherit'],
        timeout: 600_000,
      });
    } catch (error) {
      throw new Error(
        `integration tests need a Docker engine: 'scripts/engine.sh up' failed (${(error as Error).message}). ` +
          'Run the tests as root so it can start the private engine, or set BRIG_TEST_DOCKER_HOST to a running engine.',
      );
    }
    host = execFileSync('bash', [engineScript, 'env'], { encoding: 'utf8' })
      .trim()
      .replace(/^DOCKER_HOST=/, '');
  }
  process.env.BRIG_TEST_DOCKER_HOST = host;
  project.provide('dockerHost', host);
}
