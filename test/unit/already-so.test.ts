import { describe, expect, it } from 'vitest';
import { DockerError } from '../../source/docker/errors.js';
import { isAlreadySo } from '../../source/enforce/already-so.js';

const err = (kind: ConstructorParameters<typeof DockerError>[0], message: string, status?: number) =>
  new DockerError(kind, 'unix:///x.sock', message, status);

describe('"already so" answers count as success', () => {
  it("recognises Docker's answers per step, by message, whatever the status", () => {
    expect(isAlreadySo(err('conflict', 'Container abc is already paused', 409), 'pause')).toBe(true);
    expect(isAlreadySo(err('conflict', 'Container abc is not paused', 409), 'unpause')).toBe(true);
    expect(isAlreadySo(err('engine', 'HTTP 500: Container abc is not paused', 500), 'unpause')).toBe(true);
    expect(isAlreadySo(err('conflict', 'Container abc is not running', 409), 'kill')).toBe(true);
    expect(isAlreadySo(err('not-modified', 'already so', 304), 'stop')).toBe(true);
    expect(isAlreadySo(err('not-modified', 'already so', 304), 'start')).toBe(true);
  });

  it('does not swallow real failures', () => {
    expect(isAlreadySo(err('conflict', 'Container abc is not running', 409), 'pause')).toBe(false);
    expect(isAlreadySo(err('engine', 'HTTP 500: cgroup write failed', 500), 'pause')).toBe(false);
    expect(isAlreadySo(err('not-found', 'no such container', 404), 'unpause')).toBe(false);
    expect(isAlreadySo(err('unreachable', 'ECONNREFUSED'), 'stop')).toBe(false);
    expect(isAlreadySo(new Error('is already paused'), 'pause')).toBe(false);
  });
});
