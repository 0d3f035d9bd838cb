import { describe, expect, it } from 'vitest';
import { compileSearch, type LogSearch } from '../../source/ui/log-search.js';

function ok(pattern: string): Extract<LogSearch, { ok: true }> {
  const s = compileSearch(pattern);
  if (!s?.ok) throw new Error(`expected ${pattern} to compile: ${JSON.stringify(s)}`);
  return s;
}

describe('compileSearch: the logs view pattern', () => {
  it('no pattern is no search', () => {
    expect(compileSearch('')).toBeUndefined();
  });

  it('plain text is smart-case: lower case matches any case, a capital makes it exact', () => {
    const lower = ok('error');
    expect(lower.kind).toBe('text');
    expect(['ERROR x', 'an Error', 'no'].map(lower.test)).toEqual([true, true, false]);
    const exact = ok('Error');
    expect(exact.caseSensitive).toBe(true);
    expect(['ERROR x', 'an Error'].map(exact.test)).toEqual([false, true]);
  });

  it('text is literal: regex characters mean themselves', () => {
    expect(ok('a.b(').test('xa.b(y')).toBe(true);
    expect(ok('a.b(').test('axb(')).toBe(false);
    // A path is text, not a regex: it does not end with a slash.
    expect(ok('/api/users').kind).toBe('text');
  });

  it('/regex/ and re:regex are regular expressions, smart-case unless flags are given', () => {
    const slashed = ok('/time(out|d out)/');
    expect(slashed.kind).toBe('regex');
    expect(['TIMEOUT', 'timed out', 'time'].map(slashed.test)).toEqual([true, true, false]);
    expect(ok('re:^GET \\d+').test('GET 200 /')).toBe(true);
    expect(ok('re:^GET \\d+').test('get 200 /')).toBe(false);
    // \S, \W, \D are escapes, not capitals: still case-insensitive.
    expect(ok('/e\\S+r/').test('ERROR')).toBe(true);
    expect(ok('/Err/i').test('ERR')).toBe(true);
    expect(ok('/err/s').test('ERR')).toBe(false);
  });

  it('! inverts: the lines without the pattern', () => {
    const s = ok('!health');
    expect(s.invert).toBe(true);
    expect(['GET /health 200', 'GET /api 500'].map(s.test)).toEqual([false, true]);
    expect(ok('!/^GET/').test('POST /x')).toBe(true);
    // A lone "!" is the text "!".
    expect(ok('!').test('wow!')).toBe(true);
  });

  it('gives every match range for highlighting, regex and text alike', () => {
    expect(ok('ab').ranges('xABxab')).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(ok('/\\d+/').ranges('a1 b22 c333')).toEqual([
      [1, 2],
      [4, 6],
      [8, 11],
    ]);
    // The test regex is not global: repeated tests never skip a line (lastIndex state).
    const r = ok('/a/');
    expect([r.test('a'), r.test('a'), r.test('a')]).toEqual([true, true, true]);
  });

  it('a pattern matching the empty string highlights nothing and never loops', () => {
    expect(ok('/x*/').ranges('abc')).toEqual([]);
    expect(ok('/^/').ranges('abc')).toEqual([]);
    expect(ok('/x*/').test('abc')).toBe(true);
  });

  it('caps the ranges of one line (a one-letter pattern on a long line)', () => {
    expect(ok('a').ranges('a'.repeat(10_000))).toHaveLength(200);
  });

  it('a bad regex is an error message naming what is wrong, never a throw', () => {
    const bad = compileSearch('/a(/');
    expect(bad).toMatchObject({ ok: false, pattern: '/a(/' });
    expect(bad?.ok === false && bad.error).toMatch(/^invalid regex: .*Unterminated group/);
    expect(compileSearch('re:[')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^invalid regex/),
    });
    expect(compileSearch('//')).toMatchObject({ ok: false, error: expect.stringMatching(/empty regex/) });
    // Other letters after the slash: a path, found as text.
    expect(ok('/a/x').kind).toBe('text');
  });
});
