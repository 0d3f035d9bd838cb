import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export type TestEngineKind = 'docker' | 'podman';

declare module 'vitest' {
  export interface ProvidedContext {
    dockerHost: string;
    engineKind: TestEngineKind;
  }
}

const scripts: Record<TestEngineKind, { script: string; variable: string; what: string }> = {
  docker: {
    script: fileURLToPath(new URL('../../scripts/engine.sh', import.meta.url)),
    variable: 'BRIG_TEST_DOCKER_HOST',
    what: 'a Docker engine',
  },
  podman: {
    script: fileURLToPath(new URL('../../scripts/podman.sh', import.meta.url)),
    variable: 'BRIG_TEST_PODMAN_HOST',
    what: 'a Podman API service',
  },
};

/**
 * Tests run against BRIG_TEST_DOCKER_HOST (BRIG_TEST_PODMAN_HOST for the Podman projects) when
 * set, otherwise against the private engine of scripts/engine.sh (scripts/podman.sh), which this
 * brings up (installing the engine as root if needed). A test run never touches the user's own
 * engine by accident. No engine = the run fails here, loudly: integration tests never skip.
 */
export function setupEngine(project: TestProject, kind: TestEngineKind): void {
  const { script, variable, what } = scripts[kind];
  let host = process.env[variable];
  if (!host) {
    try {
      execFileSync('bash', [script, 'up'], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
    } catch (error) {
      throw new Error(
        `integration tests need ${what}: '${script} up' failed (${(error as Error).message}). ` +
          `Run the tests as root so it can start the private engine, or set ${variable} to a running engine.`,
      );
    }
    host = execFileSync('bash', [script, 'env'], { encoding: 'utf8' })
      .trim()
      .replace(/^DOCKER_HOST=/, '');
  }
  process.env[variable] = host;
  project.provide('dockerHost', host);
  project.provide('engineKind', kind);
}

export default function setup(project: TestProject): void {
  setupEngine(project, 'docker');
}
