import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/brig-process.js';
import { testDockerHost } from '../helpers/engine.js';

function brig(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the brig CLI contract (DESIGN §8)', () => {
  it('--version and --help answer with exit 0', () => {
    expect(brig(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const help = brig(['--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--docker-host',
      '--policies',
      '--arm',
      '--dry-run',
      '--listen',
      '--token-file',
      '--alerts',
      '--journal',
      '--replay',
      '--read-only',
      '--headless',
    ]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('an unknown option or command exits 2 with the usage', () => {
    for (const args of [['--bogus'], ['frobnicate']]) {
      const r = brig(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown (option|command)/);
      expect(r.stderr).toContain('Usage');
    }
  });

  it('an unreachable engine exits 3 naming the host and how to fix it', () => {
    const r = brig(['--headless'], { DOCKER_HOST: 'unix:///nope.sock' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('/nope.sock');
    expect(r.stderr).toMatch(/scripts\/engine\.sh up/);
  });

  it('a non-loopback --listen without --token-file exits 1 saying why', () => {
    const r = brig(['--headless', '--listen', '0.0.0.0:7070']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/token-file/);
  });

  it('a broken policy file exits 1 with file:line; a missing --policies DIR exits 1 naming it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-cli-'));
    await mkdir(path.join(dir, 'policies'));
    await writeFile(
      path.join(dir, 'policies', 'web.toml'),
      'id = "web"\nname = "Web"\n\nseverity_threshold = "Huge"\n[action]\nPause = []\n',
    );
    const broken = brig([
      '--headless',
      '--docker-host',
      testDockerHost(),
      '--policies',
      path.join(dir, 'policies'),
      '--journal',
      path.join(dir, 'j'),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/web\.toml:4: severity_threshold/);
    const missing = brig([
      '--headless',
      '--docker-host',
      testDockerHost(),
      '--policies',
      path.join(dir, 'none'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(path.join(dir, 'none'));
  });

  it('with no policy directory at the default places, Brig warns and runs; SIGTERM exits 0', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-cli-'));
    const child = spawn(process.execPath, [cliPath, '--headless', '--docker-host', testDockerHost()], {
      cwd: dir,
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(dir, 'cfg'),
        XDG_STATE_HOME: path.join(dir, 'state'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    for (let i = 0; i < 200 && !out.includes('"event":"start"'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(err).toMatch(/no policy directory/);
    expect(out).toContain('"event":"start"');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
