import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { CreateContainerSpec, DockerEvent, DockerPort } from '../../source/docker/docker-port.js';
import { DockerodePort } from '../../source/docker/dockerode-port.js';

export const testImage = 'brig-test/busybox:latest';

/** The engine the global setup brought up (or BRIG_TEST_DOCKER_HOST). */
export function testDockerHost(): string {
  return inject('dockerHost');
}

/** Which kind of engine that is: the same tests run against Docker and Podman. */
export function testEngineKind(): 'docker' | 'podman' {
  return inject('engineKind');
}

/** The network a container joins when none is named: `bridge` on Docker, `podman` on Podman. */
export function defaultNetwork(): string {
  return testEngineKind() === 'podman' ? 'podman' : 'bridge';
}

/** The test image as the engine reports it: Podman names local images `localhost/…`. */
export function reportedTestImage(): string {
  return testEngineKind() === 'podman' ? `localhost/${testImage}` : testImage;
}

export function testPort(): DockerPort {
  return new DockerodePort(testDockerHost());
}

const runId = randomBytes(3).toString('hex');
let counter = 0;

/** A name unique to this test run, so parallel or leftover runs never collide. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `brigtest-${runId}-${prefix}-${counter}`;
}

/**
 * Creates containers on the test engine and removes every one it made on cleanup().
 * Containers run busybox commands that never send network traffic.
 */
export class TestContainers {
  readonly created: string[] = [];
  readonly networks: string[] = [];

  constructor(readonly port: DockerPort = testPort()) {}

  async run(
    prefix: string,
    spec: Partial<CreateContainerSpec> & { Cmd?: string[] } = {},
  ): Promise<{ id: string; name: string }> {
    const name = uniqueName(prefix);
    const id = await this.port.createContainer({
      name,
      Image: testImage,
      Cmd: spec.Cmd ?? ['sleep', '3600'],
      ...spec,
      Labels: { 'brig.test': 'true', ...((spec.Labels as Record<string, string>) ?? {}) },
    });
    this.created.push(id);
    await this.port.start(id);
    return { id, name };
  }

  async network(prefix: string, options: { internal?: boolean } = {}): Promise<{ id: string; name: string }> {
    const name = uniqueName(prefix);
    const id = await this.port.createNetwork({
      name,
      internal: options.internal ?? false,
      labels: { 'brig.test': 'true' },
    });
    this.networks.push(id);
    return { id, name };
  }

  async cleanup(): Promise<void> {
    await Promise.allSettled(this.created.map((id) => this.port.removeContainer(id)));
    await Promise.allSettled(this.networks.map((id) => this.port.removeNetwork(id)));
    this.created.length = 0;
    this.networks.length = 0;
  }
}

/** Collects engine events until `until` matches one or the time runs out (then it rejects). */
export function waitForEvent(
  port: DockerPort,
  until: (event: DockerEvent) => boolean,
  timeoutMs = 20_000,
): { promise: Promise<DockerEvent>; ready: Promise<void> } {
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const promise = new Promise<DockerEvent>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.close();
      reject(new Error(`no matching Docker event within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = port.events({
      onEvent(event) {
        if (until(event)) {
          clearTimeout(timer);
          sub.close();
          resolve(event);
        }
      },
      onEnd(error) {
        if (error) {
          clearTimeout(timer);
          reject(error);
        }
      },
    });
    // The engine sends nothing until an event happens: give the request a moment to land.
    setTimeout(resolveReady, 300);
  });
  return { promise, ready };
}
