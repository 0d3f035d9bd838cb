import { describe, expect, it } from 'vitest';
import { parseMemory } from '../../../source/domain/policy.js';
import { globMatches } from '../../../source/policy/glob.js';
import { imageForms } from '../../../source/policy/image-ref.js';

describe('globs (DESIGN §3)', () => {
  it('* is any run of characters including "/", over the whole string', () => {
    expect(globMatches(['a*'], 'a/b/c')).toBe(true);
    expect(globMatches(['*'], '.hidden/x')).toBe(true);
    expect(globMatches(['*/x'], 'a/b/x')).toBe(true);
    expect(globMatches(['web-*'], 'xweb-1')).toBe(false);
    expect(globMatches(['web'], 'web-1')).toBe(false);
  });

  it('? is exactly one character; matching is case-sensitive', () => {
    expect(globMatches(['web-?'], 'web-1')).toBe(true);
    expect(globMatches(['web-?'], 'web-12')).toBe(false);
    expect(globMatches(['a?c'], 'a/c')).toBe(true);
    expect(globMatches(['Web-*'], 'web-1')).toBe(false);
  });

  it('lists are OR; literals and globs mix; an empty list is no constraint', () => {
    expect(globMatches(['db', 'web-*'], 'db')).toBe(true);
    expect(globMatches(['db', 'web-*'], 'web-9')).toBe(true);
    expect(globMatches(['db', 'web-*'], 'api')).toBe(false);
    expect(globMatches([], 'anything')).toBe(true);
  });

  it('keeps micromatch braces and negation', () => {
    expect(globMatches(['{web,api}-*'], 'api-1')).toBe(true);
    expect(globMatches(['!db*'], 'web')).toBe(true);
    expect(globMatches(['!db*'], 'db-1')).toBe(false);
  });
});

describe('image reference forms', () => {
  const forms = (image: string) => new Set(imageForms(image));

  it('adds the implied :latest, and x for x:latest', () => {
    expect(forms('redis')).toEqual(
      new Set(['redis', 'redis:latest', 'docker.io/library/redis', 'docker.io/library/redis:latest']),
    );
    expect(forms('redis:latest')).toContain('redis');
    expect(forms('redis:7')).toEqual(new Set(['redis:7', 'docker.io/library/redis:7']));
  });

  it('strips docker.io/ and docker.io/library/, and qualifies Hub images', () => {
    expect(forms('docker.io/library/nginx:1.25')).toEqual(
      new Set(['docker.io/library/nginx:1.25', 'nginx:1.25']),
    );
    expect(forms('docker.io/bitnami/redis')).toEqual(
      new Set([
        'docker.io/bitnami/redis',
        'bitnami/redis',
        'docker.io/bitnami/redis:latest',
        'bitnami/redis:latest',
      ]),
    );
    expect(forms('bitnami/redis:7')).toContain('docker.io/bitnami/redis:7');
  });

  it('does not take a registry port for a tag, nor qualify other registries; keeps digests', () => {
    expect(forms('localhost:5000/app')).toEqual(new Set(['localhost:5000/app', 'localhost:5000/app:latest']));
    expect(forms('localhost:5000/app:1')).toEqual(new Set(['localhost:5000/app:1']));
    expect(forms('ghcr.io/org/app:1')).toEqual(new Set(['ghcr.io/org/app:1']));
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(forms(`nginx@${digest}`)).toEqual(
      new Set([`nginx@${digest}`, `docker.io/library/nginx@${digest}`]),
    );
    expect(forms(`nginx:1.25@${digest}`)).toContain('nginx:1.25');
    expect(forms(digest)).toEqual(new Set([digest]));
  });
});

describe('memory sizes', () => {
  it('reads Docker notation in binary units', () => {
    expect(parseMemory('128m')).toBe(128 * 1024 ** 2);
    expect(parseMemory('1g')).toBe(1024 ** 3);
    expect(parseMemory('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(parseMemory('512k')).toBe(512 * 1024);
    expect(parseMemory('64MiB')).toBe(64 * 1024 ** 2);
    expect(parseMemory('4096')).toBe(4096);
  });

  it('rejects nonsense and zero', () => {
    for (const bad of ['', 'lots', '12x', '-1m', '0', '1 2m']) expect(parseMemory(bad), bad).toBeUndefined();
  });
});
