import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../source/config/config-error.js';
import { ConfigSchema, envKeys, parseConfig } from '../../source/config/config-file.js';
import { loadConfig } from '../../source/config/load-config.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'brig-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('ConfigSchema defaults', () => {
  it('an empty file gives every default', () => {
    const config = parseConfig('', undefined, {});
    expect(config).toEqual({
      guard: { protect_names: [] },
      executor: {
        action_timeout_secs: 30,
        retry_max_attempts: 3,
        retry_backoff_base_ms: 500,
        max_concurrent_actions: 10,
      },
      intake: {
        max_body_bytes: 1048576,
        queue_capacity: 10000,
        max_line_bytes: 1048576,
        severity_words: {},
        answered_window_secs: 86400,
      },
      journal: { max_bytes: 67108864 },
      policies: { reload_quiet_ms: 2000 },
      ui: {},
      keys: {},
      detectors: expect.any(Object),
      notify: [],
    });
    expect(ConfigSchema.parse({})).toEqual(config);
  });

  it('reads every section and fills notifier defaults', () => {
    const config = parseConfig(
      `
[guard]
protect_names = ["db-*", "brig"]

[executor]
action_timeout_secs = 10
max_concurrent_actions = 4

[intake]
listen = "127.0.0.1:7070"
queue_capacity = 500

[journal]
max_bytes = 1048576

[ui]
theme = "dark"

[keys]
arm = "A"
quit = ["q", "ctrl+c"]

[[notify]]
kind = "slack"
url = "https://hooks.slack.com/services/T/B/X"

[[notify]]
kind = "webhook"
url = "http://127.0.0.1:9000/brig"
min_result = "failed"
actions = ["pause", "kill"]
retries = 0
`,
      undefined,
      {},
    );
    expect(config.guard.protect_names).toEqual(['db-*', 'brig']);
    expect(config.executor).toEqual({
      action_timeout_secs: 10,
      retry_max_attempts: 3,
      retry_backoff_base_ms: 500,
      max_concurrent_actions: 4,
    });
    expect(config.intake.listen).toEqual({ host: '127.0.0.1', port: 7070 });
    expect(config.intake.queue_capacity).toBe(500);
    expect(config.keys).toEqual({ arm: 'A', quit: ['q', 'ctrl+c'] });
    expect(config.ui.theme).toBe('dark');
    expect(config.notify).toEqual([
      { kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X', timeout_ms: 5000, retries: 3 },
      {
        kind: 'webhook',
        url: 'http://127.0.0.1:9000/brig',
        timeout_ms: 5000,
        retries: 0,
        min_result: 'failed',
        actions: ['pause', 'kill'],
      },
    ]);
  });
});

describe('config errors name FILE:LINE and the field', () => {
  const file = '/etc/brig/config.toml';
  it('a TOML syntax error', () => {
    expect(errorOf(() => parseConfig('[executor]\nretry_max_attempts = = 3\n', file, {}))).toMatch(
      /^\/etc\/brig\/config\.toml:2: /,
    );
  });

  it('a wrong type, a bad value, an unknown key, an unknown section', () => {
    const text = [
      '[executor]', //
      'retry_max_attempts = "three"',
      'max_concurrent_actions = 0',
      'retry_max_attemps = 3',
      '',
      '[[notify]]',
      'kind = "teams"',
      'url = "ftp://x"',
      '',
      '[colours]',
      'x = 1',
    ].join('\n');
    const lines = errorOf(() => parseConfig(text, file, {})).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/etc\/brig\/config\.toml:2: executor\.retry_max_attempts: .*number/),
        expect.stringMatching(/^\/etc\/brig\/config\.toml:3: executor\.max_concurrent_actions: /),
        expect.stringMatching(
          /^\/etc\/brig\/config\.toml:4: executor\.retry_max_attemps: unknown key; expected one of action_timeout_secs, retry_max_attempts/,
        ),
        '/etc/brig/config.toml:7: notify[0].kind: expected one of webhook, slack',
        '/etc/brig/config.toml:8: notify[0].url: expected an http:// or https:// URL',
        expect.stringMatching(
          /^\/etc\/brig\/config\.toml:10: colours: unknown key; expected one of guard, executor/,
        ),
      ]),
    );
    expect(lines).toHaveLength(6);
  });

  it('[detectors] tables are checked by the detectors schema, with their defaults', () => {
    expect(
      errorOf(() => parseConfig('[detectors.fork_storm]\nmin_pids = 5\ngrowth = 3\n', file, {})),
    ).toMatch(
      /^\/etc\/brig\/config\.toml:3: detectors\.fork_storm\.growth: unknown key; expected one of enabled, severity/,
    );
    const config = parseConfig('[detectors.fork_storm]\nmin_pids = 5\n', file, {});
    expect(config.detectors.fork_storm.min_pids).toBe(5);
    expect(config.detectors.sampler.interval_ms).toBe(100);
  });

  it('a missing field says "missing"; a wrong type says what it got, as policy files do (issue 16.1)', () => {
    expect(
      errorOf(() =>
        parseConfig('[[notify]]\nkind = "slack"\n\n[executor]\nretry_max_attempts = "x"\n', file, {}),
      ),
    ).toBe(
      [
        '/etc/brig/config.toml:5: executor.retry_max_attempts: got string; expected number',
        '/etc/brig/config.toml:1: notify[0].url: missing; expected string',
      ].join('\n'),
    );
  });

  it('a bad listen address', () => {
    expect(errorOf(() => parseConfig('[intake]\n\nlisten = "7070"\n', file, {}))).toBe(
      '/etc/brig/config.toml:3: intake.listen: expected HOST:PORT, e.g. 127.0.0.1:7070',
    );
  });
});

describe('BRIG_<SECTION>_<KEY> overrides', () => {
  it('override the file, with the type the key wants', () => {
    const config = parseConfig('[executor]\nretry_max_attempts = 2\n', '/c/config.toml', {
      BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS: '5',
      BRIG_EXECUTOR_ACTION_TIMEOUT_SECS: '2.5',
      BRIG_GUARD_PROTECT_NAMES: 'db-*, brig ,',
      BRIG_INTAKE_LISTEN: '[::1]:8080',
      BRIG_UI_THEME: 'light',
    });
    expect(config.executor.retry_max_attempts).toBe(5);
    expect(config.executor.action_timeout_secs).toBe(2.5);
    expect(config.guard.protect_names).toEqual(['db-*', 'brig']);
    expect(config.intake.listen).toEqual({ host: '::1', port: 8080 });
    expect(config.ui.theme).toBe('light');
  });

  it('a bad value names the variable, never a file line', () => {
    expect(
      errorOf(() => parseConfig('', '/c/config.toml', { BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS: 'lots' })),
    ).toBe('BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS=lots: executor.retry_max_attempts: expected a number');
    expect(
      errorOf(() => parseConfig('', '/c/config.toml', { BRIG_EXECUTOR_MAX_CONCURRENT_ACTIONS: '0' })),
    ).toMatch(/^BRIG_EXECUTOR_MAX_CONCURRENT_ACTIONS=0: executor\.max_concurrent_actions: /);
    expect(errorOf(() => parseConfig('', undefined, { BRIG_JOURNAL_MAX_BYTE: '1' }))).toMatch(
      /^BRIG_JOURNAL_MAX_BYTE: not a config setting; \[journal\] takes BRIG_JOURNAL_FILE, BRIG_JOURNAL_MAX_BYTES$/,
    );
  });

  it('lists the scalar keys only (not keys, notify or detectors)', () => {
    const names = envKeys().map((k) => k.variable);
    expect(names).toContain('BRIG_INTAKE_MAX_BODY_BYTES');
    expect(names).toContain('BRIG_GUARD_PROTECT_NAMES');
    expect(names.some((n) => /NOTIFY|KEYS|DETECTORS/.test(n))).toBe(false);
  });
});

describe('loadConfig', () => {
  it('uses $XDG_CONFIG_HOME/brig/config.toml when present, with paths relative to it', async () => {
    await mkdir(path.join(dir, 'brig'));
    const file = path.join(dir, 'brig', 'config.toml');
    await writeFile(file, '[journal]\nfile = "state/j.jsonl"\n[intake]\ntoken_file = "~/tok"\n');
    const { config, file: used } = await loadConfig(undefined, { XDG_CONFIG_HOME: dir, HOME: '/home/u' });
    expect(used).toBe(file);
    expect(config.journal.file).toBe(path.join(dir, 'brig', 'state', 'j.jsonl'));
    expect(config.intake.token_file).toBe('/home/u/tok');
  });

  it('a relative path from BRIG_* is not taken relative to the config file', async () => {
    const file = path.join(dir, 'c.toml');
    await writeFile(file, '[journal]\nfile = "j.jsonl"\n');
    const { config } = await loadConfig(file, {
      BRIG_JOURNAL_FILE: 'env.jsonl',
      BRIG_INTAKE_TOKEN_FILE: 'tok',
    });
    expect(config.journal.file).toBe('env.jsonl');
    expect(config.intake.token_file).toBe('tok');
  });

  it('no default file: defaults, and no file reported', async () => {
    const result = await loadConfig(undefined, {
      XDG_CONFIG_HOME: dir,
      BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS: '7',
    });
    expect(result.file).toBeUndefined();
    expect(result.config.executor.retry_max_attempts).toBe(7);
  });

  // The shipped bundle defines BRIG_BUILT_DEFAULT_CONFIG (scripts/build.mjs) so that a start with
  // no config file loads no zod before the first frame; here it is stubbed as a global.
  describe('with the defaults built in (the bundle)', () => {
    const built = { ...parseConfig('', undefined, {}), ui: { theme: 'built-in' } };
    beforeEach(() => vi.stubGlobal('BRIG_BUILT_DEFAULT_CONFIG', JSON.stringify(built)));
    afterEach(() => vi.unstubAllGlobals());

    it('the schema defaults are plain JSON, so the build can inline them', () => {
      const defaults = parseConfig('', undefined, {});
      expect(JSON.parse(JSON.stringify(defaults))).toStrictEqual(defaults);
    });

    it('no file and no BRIG_<SECTION>_* variable: the built-in defaults, a fresh object each time', async () => {
      const first = await loadConfig(undefined, { XDG_CONFIG_HOME: dir, BRIG_ARM: '1' });
      expect(first).toEqual({ config: built });
      first.config.guard.protect_names.push('x');
      expect((await loadConfig(undefined, { XDG_CONFIG_HOME: dir })).config).toEqual(built);
    });

    it('a BRIG_<SECTION>_* variable goes through the schema (and is checked there)', async () => {
      const result = await loadConfig(undefined, {
        XDG_CONFIG_HOME: dir,
        BRIG_EXECUTOR_RETRY_MAX_ATTEMPTS: '7',
      });
      expect(result.config.executor.retry_max_attempts).toBe(7);
      expect(result.config.ui.theme).toBeUndefined();
      await expect(loadConfig(undefined, { XDG_CONFIG_HOME: dir, BRIG_EXECUTOR_NOPE: '1' })).rejects.toThrow(
        'BRIG_EXECUTOR_NOPE: not a config setting',
      );
    });

    it('a config file goes through the schema', async () => {
      const file = path.join(dir, 'c.toml');
      await writeFile(file, '[executor]\nretry_max_attempts = 4\n');
      const result = await loadConfig(file, {});
      expect(result).toMatchObject({ file, config: { executor: { retry_max_attempts: 4 }, ui: {} } });
      expect(result.config.ui.theme).toBeUndefined();
    });
  });

  it('an explicit file that is missing is an error naming it', async () => {
    const file = path.join(dir, 'nope.toml');
    await expect(loadConfig(file, {})).rejects.toThrow(`${file}: cannot read the config file: no such file`);
    await expect(loadConfig(file, {})).rejects.toBeInstanceOf(ConfigError);
  });

  it('an invalid file rejects with FILE:LINE', async () => {
    const file = path.join(dir, 'c.toml');
    await writeFile(file, '# comment\n[journal]\nmax_bytes = -1\n');
    await expect(loadConfig(file, {})).rejects.toThrow(new RegExp(`^${file}:3: journal\\.max_bytes: `));
  });
});

describe('[policies] reload_quiet_ms (issue 11.10)', () => {
  const file = '/etc/brig/config.toml';
  it('defaults to 2 s; the file or BRIG_POLICIES_RELOAD_QUIET_MS sets it; a negative value names its line', () => {
    expect(parseConfig('', undefined, {}).policies.reload_quiet_ms).toBe(2000);
    expect(parseConfig('[policies]\nreload_quiet_ms = 500\n', file, {}).policies.reload_quiet_ms).toBe(500);
    expect(
      parseConfig('', undefined, { BRIG_POLICIES_RELOAD_QUIET_MS: '3000' }).policies.reload_quiet_ms,
    ).toBe(3000);
    expect(errorOf(() => parseConfig('[policies]\n\nreload_quiet_ms = -1\n', file, {}))).toMatch(
      /^\/etc\/brig\/config\.toml:3: policies\.reload_quiet_ms: /,
    );
  });
});
