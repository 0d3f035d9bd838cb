import { describe, expect, it } from 'vitest';
import { archiveCandidates, archiveRoots } from '../../../source/evidence/archive-files.js';
import { bundleName } from '../../../source/evidence/evidence-dir.js';
import { CaptureLimiter } from '../../../source/evidence/capture-limiter.js';

describe('archiveCandidates', () => {
  it('archives changed leaves, not the directories above them, nor deleted paths', () => {
    expect(
      archiveCandidates([
        { path: '/etc', kind: 'modified' },
        { path: '/etc/x.conf', kind: 'added' },
        { path: '/tmp', kind: 'modified' },
        { path: '/tmp/d', kind: 'added' },
        { path: '/tmp/d/f', kind: 'added' },
        { path: '/tmp/empty', kind: 'added' },
        { path: '/var/gone', kind: 'deleted' },
        { path: '/var', kind: 'modified' },
      ]),
    ).toEqual({
      files: ['/etc/x.conf', '/tmp/d/f', '/tmp/empty'],
      directories: ['/etc', '/tmp', '/tmp/d', '/var'],
    });
  });
});

describe('archiveRoots', () => {
  it('reads a file under an added directory with the highest added directory, others alone', () => {
    const roots = archiveRoots([
      { path: '/tmp', kind: 'modified' },
      { path: '/tmp/new', kind: 'added' },
      { path: '/tmp/new/sub', kind: 'added' },
      { path: '/tmp/new/sub/a', kind: 'added' },
      { path: '/tmp/new/b', kind: 'added' },
      { path: '/etc', kind: 'modified' },
      { path: '/etc/passwd', kind: 'modified' },
      { path: '/etc/x.conf', kind: 'added' },
    ]);
    expect([...roots]).toEqual([
      ['/etc/passwd', ['/etc/passwd']],
      ['/etc/x.conf', ['/etc/x.conf']],
      ['/tmp/new', ['/tmp/new/b', '/tmp/new/sub/a']],
    ]);
  });
});

describe('bundleName', () => {
  it('is <utc>-<container>-<trace> with only safe characters', () => {
    expect(bundleName(new Date('2026-12-02T00:45:12.345Z'), 'web-1', 'a/b c..d')).toBe(
      '20261202T004512.345Z-web-1-a_b_c..d',
    );
    expect(bundleName(new Date(0), '../..', '')).toBe('19700101T000000.000Z-x-x');
  });
});

describe('CaptureLimiter', () => {
  it('runs at most maxRunning at once and refuses beyond maxWaiting', async () => {
    const limiter = new CaptureLimiter(1, 1);
    let release!: () => void;
    const first = limiter.run(() => new Promise<string>((r) => (release = () => r('first'))));
    const second = limiter.run(async () => 'second');
    expect(await limiter.run(async () => 'third')).toBeUndefined();
    expect(limiter.busy).toEqual({ running: 1, waiting: 1 });
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(limiter.busy).toEqual({ running: 0, waiting: 0 });
  });
});
