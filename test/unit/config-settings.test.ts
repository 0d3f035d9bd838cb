import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliFlags } from '../../source/commands/flags.js';
import { ConfigError } from '../../source/config/config-error.js';
import { parseConfig } from '../../source/config/config-file.js';
import { resolveSettings } from '../../source/config/settings.js';

const flags = (over: Partial<CliFlags> = {}): CliFlags => ({
  dockerHost: [],
  arm: false,
  dryRun: false,
  readOnly: false,
  headless: false,
  json: false,
  run: false,
  ...over,
});

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'brig-settings-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const base = { HOME: '/home/u', XDG_CONFIG_HOME: '/cfg', XDG_STATE_HOME: '/st' };

describe('resolveSettings', () => {
  it('defaults: disarmed, local socket, XDG policies and journal', () => {
    const config = parseConfig('', undefined, {});
    const s = resolveSettings(flags(), config, base, cwd);
    expect(s).toEqual({
      dockerHosts: ['unix:///var/run/docker.sock'],
      policiesDir: '/cfg/brig/policies',
      arm: false,
      dryRun: false,
      journalFile: '/st/brig/journal.jsonl',
      readOnly: false,
      headless: false,
      config,
    });
  });

  it('the config file never arms Brig; ./policies wins over the XDG directory when present', async () => {
    await mkdir(path.join(cwd, 'policies'));
    const s = resolveSettings(
      flags(),
      parseConfig('', undefined, {}),
      { ...base, DOCKER_HOST: 'unix:///d.sock' },
      cwd,
    );
    expect(s.arm).toBe(false);
    expect(s.policiesDir).toBe(path.join(cwd, 'policies'));
    expect(s.dockerHosts).toEqual(['unix:///d.sock']);
  });

  it('precedence: flags > BRIG_* > config file > defaults', () => {
    const config = parseConfig(
      '[intake]\nlisten = "127.0.0.1:1111"\ntoken_file = "/cfg/tok"\n[journal]\nfile = "/cfg/j.jsonl"\n',
      undefined,
      {},
    );
    const env = {
      ...base,
      DOCKER_HOST: 'unix:///ignored.sock',
      BRIG_DOCKER_HOST: 'unix:///a.sock, tcp://10.0.0.2:2375,unix:///a.sock',
      BRIG_POLICIES: 'env-policies',
      BRIG_LISTEN: '127.0.0.1:2222',
      BRIG_TOKEN_FILE: '/env/tok',
      BRIG_JOURNAL: 'env.jsonl',
      BRIG_ARM: 'yes',
      BRIG_DRY_RUN: '1',
      BRIG_READ_ONLY: 'true',
    };
    const fromEnv = resolveSettings(flags(), config, env, cwd);
    expect(fromEnv).toMatchObject({
      dockerHosts: ['unix:///a.sock', 'tcp://10.0.0.2:2375'],
      policiesDir: path.join(cwd, 'env-policies'),
      listen: { host: '127.0.0.1', port: 2222 },
      tokenFile: '/env/tok',
      journalFile: path.join(cwd, 'env.jsonl'),
      arm: true,
      dryRun: true,
      readOnly: true,
    });
    const fromFlags = resolveSettings(
      flags({
        dockerHost: ['unix:///f.sock'],
        policies: '/f/policies',
        listen: '127.0.0.1:3333',
        tokenFile: 'f-tok',
        journal: '/f/j.jsonl',
        alerts: '-',
        replay: 'r.ndjson',
        headless: true,
      }),
      config,
      env,
      cwd,
      '/cfg/config.toml',
    );
    expect(fromFlags).toMatchObject({
      dockerHosts: ['unix:///f.sock'],
      policiesDir: '/f/policies',
      listen: { host: '127.0.0.1', port: 3333 },
      tokenFile: path.join(cwd, 'f-tok'),
      journalFile: '/f/j.jsonl',
      alerts: '-',
      replay: path.join(cwd, 'r.ndjson'),
      headless: true,
      configFile: '/cfg/config.toml',
    });
    const fromFile = resolveSettings(flags(), config, base, cwd);
    expect(fromFile).toMatchObject({
      listen: { host: '127.0.0.1', port: 1111 },
      tokenFile: '/cfg/tok',
      journalFile: '/cfg/j.jsonl',
    });
  });

  it('a false BRIG_ARM does not undo --arm, and a bad one is an error naming it', () => {
    const config = parseConfig('', undefined, {});
    expect(resolveSettings(flags({ arm: true }), config, { ...base, BRIG_ARM: 'off' }, cwd).arm).toBe(true);
    expect(resolveSettings(flags(), config, { ...base, BRIG_ARM: 'off' }, cwd).arm).toBe(false);
    expect(() => resolveSettings(flags(), config, { ...base, BRIG_ARM: 'maybe' }, cwd)).toThrow(
      new ConfigError('BRIG_ARM=maybe: expected true or false (1/0, yes/no, on/off)'),
    );
  });

  it('a non-loopback listen address needs a token file, wherever it came from', () => {
    const config = parseConfig('[intake]\nlisten = "0.0.0.0:7070"\n', undefined, {});
    expect(() => resolveSettings(flags(), config, base, cwd)).toThrow(
      /^intake\.listen = "0\.0\.0\.0:7070" is not a loopback address/,
    );
    expect(() =>
      resolveSettings(flags(), parseConfig('', undefined, {}), { ...base, BRIG_LISTEN: '10.1.1.1:80' }, cwd),
    ).toThrow(/^BRIG_LISTEN=10\.1\.1\.1:80 is not a loopback address/);
    expect(resolveSettings(flags(), config, { ...base, BRIG_TOKEN_FILE: '/t' }, cwd).listen).toEqual({
      host: '0.0.0.0',
      port: 7070,
    });
    expect(() =>
      resolveSettings(flags(), parseConfig('', undefined, {}), { ...base, BRIG_LISTEN: 'nope' }, cwd),
    ).toThrow('BRIG_LISTEN=nope: expected HOST:PORT, e.g. 127.0.0.1:7070');
  });
});

describe('listen addresses: one syntax, one loopback rule', () => {
  it('::ffff:127.* is loopback wherever the address comes from; ::ffff:10.* is not', () => {
    const none = parseConfig('', undefined, {});
    expect(resolveSettings(flags({ listen: '[::ffff:127.0.0.1]:7070' }), none, base, cwd).listen).toEqual({
      host: '::ffff:127.0.0.1',
      port: 7070,
    });
    const mapped = parseConfig('[intake]\nlisten = "[::ffff:10.0.0.1]:7070"\n', undefined, {});
    expect(() => resolveSettings(flags(), mapped, base, cwd)).toThrow(
      /^intake\.listen = "\[::ffff:10\.0\.0\.1\]:7070" is not a loopback address/,
    );
  });

  it('a malformed --listen is a usage error naming the flag', () => {
    let caught: unknown;
    try {
      resolveSettings(flags({ listen: '7070' }), parseConfig('', undefined, {}), base, cwd);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({
      kind: 'usage',
      message: '--listen 7070: expected HOST:PORT, e.g. 127.0.0.1:7070',
    });
  });
});
