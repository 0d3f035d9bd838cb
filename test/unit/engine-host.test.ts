import { describe, expect, it } from 'vitest';
import { parseDockerHost, resolveDockerHosts } from '../../source/docker/engine-host.js';
import { toDockerError } from '../../source/docker/errors.js';

describe('engine hosts', () => {
  it('prefers flags, then DOCKER_HOST, then the local socket', () => {
    expect(resolveDockerHosts(['unix:///a.sock', 'unix:///a.sock'], { DOCKER_HOST: 'tcp://x:1' })).toEqual([
      'unix:///a.sock',
    ]);
    expect(resolveDockerHosts([], { DOCKER_HOST: 'tcp://x:1' })).toEqual(['tcp://x:1']);
    expect(resolveDockerHosts([], {})).toEqual(['unix:///var/run/docker.sock']);
  });

  it('parses unix and tcp hosts and rejects others', () => {
    expect(parseDockerHost('unix:///run/d.sock', {})).toMatchObject({
      kind: 'socket',
      socketPath: '/run/d.sock',
    });
    expect(parseDockerHost('tcp://10.0.0.1:2375', {})).toMatchObject({
      kind: 'tcp',
      hostname: '10.0.0.1',
      port: 2375,
      protocol: 'http',
    });
    expect(() => parseDockerHost('ssh://me@host', {})).toThrow(/expected unix/);
    expect(() => parseDockerHost('unix://relative.sock', {})).toThrow(/absolute/);
  });

  it('types engine answers', () => {
    expect(toDockerError({ statusCode: 409, json: { message: 'is paused' } }, 'h', 'pause').kind).toBe(
      'conflict',
    );
    expect(toDockerError({ statusCode: 304 }, 'h', 'stop').kind).toBe('not-modified');
    expect(toDockerError({ statusCode: 404, message: 'x' }, 'h', 'x').kind).toBe('not-found');
    expect(toDockerError({ code: 'ECONNREFUSED' }, 'h', 'x').kind).toBe('unreachable');
    expect(toDockerError({ name: 'AbortError' }, 'h', 'x').kind).toBe('timeout');
    expect(toDockerError({ statusCode: 500, message: 'boom' }, 'tcp://h:1', 'x').message).toContain(
      'tcp://h:1',
    );
  });
});
