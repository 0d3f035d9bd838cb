import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { isDockerError } from '../../source/docker/errors.js';
import { TestContainers, testPort } from '../helpers/engine.js';

let port: DockerPort;
let containers: TestContainers;

beforeAll(async () => {
  port = testPort();
  containers = new TestContainers(port);
  await port.ping();
});

afterAll(async () => {
  await containers.cleanup();
});

async function settled(id: string, path: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await port.changes(id)).some((c) => c.path === path)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path} never appeared`);
}

describe('Docker port: the evidence reads (DESIGN §13)', () => {
  it('refuses an id that is not 64 hex digits before any request', async () => {
    const bad = 'web-1';
    const invalid = (e: unknown) => isDockerError(e, 'invalid');
    await expect(port.top(bad, undefined)).rejects.toSatisfy(invalid);
    await expect(port.changes(bad)).rejects.toSatisfy(invalid);
    await expect(port.logs(bad, { tail: 1, maxBytes: 1, timestamps: false, tty: false })).rejects.toSatisfy(
      invalid,
    );
    await expect(port.archive(bad, '/etc', { maxBytes: 1 })).rejects.toSatisfy(invalid);
    await expect(port.archive('a'.repeat(64), 'etc', { maxBytes: 1 })).rejects.toSatisfy(invalid);
  });

  it('top with ps args, changes by kind, logs of a TTY container, on a paused container', async () => {
    const { id } = await containers.run('ev-port', {
      Tty: true,
      Cmd: [
        'sh',
        '-c',
        'echo tty-line; echo x > /tmp/added; rm /etc/hostname.bak 2>/dev/null; exec sleep 3600',
      ],
    });
    await settled(id, '/tmp/added');
    await port.pause(id);
    const top = await port.top(id, '-ww -eo pid,args');
    expect(top.titles).toEqual(['PID', 'COMMAND']);
    expect(top.processes.map((p) => p[1])).toContain('sleep 3600');
    expect(await port.changes(id)).toEqual(expect.arrayContaining([{ path: '/tmp/added', kind: 'added' }]));
    const logs = await port.logs(id, { tail: 10, maxBytes: 1024, timestamps: false, tty: true });
    expect(logs.stdout.toString()).toContain('tty-line');
    expect(logs.truncated).toBe(false);
  });

  it('archive gives the path stat and stops the stream at its byte limit', async () => {
    const { id } = await containers.run('ev-archive', {
      Cmd: ['sh', '-c', 'dd if=/dev/zero of=/tmp/big bs=1024 count=256 2>/dev/null; exec sleep 3600'],
    });
    await settled(id, '/tmp/big');
    const small = await port.archive(id, '/tmp/big', { maxBytes: 1024 * 1024 });
    expect(small.stat).toMatchObject({ name: 'big', size: 256 * 1024 });
    let bytes = 0;
    for await (const chunk of small.stream) bytes += (chunk as Buffer).length;
    expect(bytes).toBeGreaterThan(256 * 1024);
    const bounded = await port.archive(id, '/tmp/big', { maxBytes: 4096 });
    let seen = 0;
    await expect(
      (async () => {
        for await (const chunk of bounded.stream) seen += (chunk as Buffer).length;
      })(),
    ).rejects.toSatisfy((e) => isDockerError(e, 'limit'));
    expect(seen).toBeLessThanOrEqual(4096);
    await expect(port.archive(id, '/no/such/path', { maxBytes: 1024 })).rejects.toSatisfy((e) =>
      isDockerError(e, 'not-found'),
    );
  });
});
