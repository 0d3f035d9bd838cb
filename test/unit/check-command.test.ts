import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkCommand } from '../../source/commands/check.js';
import { CliError } from '../../source/commands/exit-codes.js';
import { commandContext } from '../helpers/command-context.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('brig check [DIR]', () => {
  it('exit 0 and one summary line per file for the example policies', async () => {
    const { context, stdout } = commandContext(['policies']);
    expect(await checkCommand(context)).toBe(0);
    const lines = stdout().trimEnd().split('\n');
    expect(lines[0]).toBe(
      'policies/alertmanager-cpu-throttle.toml: ok, 1 policy (alertmanager-cpu-throttle)',
    );
    expect(lines).toHaveLength(8);
    expect(lines.at(-1)).toBe('7 policies in 7 files: ok');
  });

  it('exit 1 and every error of a broken directory as file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brig-check-'));
    dirs.push(dir);
    await writeFile(
      join(dir, 'web.toml'),
      'id = "web"\nname = "Web"\n\n\n\n\nseverity_threshold = "Hgh"\naction = "pause"\n',
    );
    await writeFile(
      join(dir, 'typo.toml'),
      'id = "typo"\nname = "T"\naction = "pause"\n[target_filter]\nlabel = ["env=prod"]\n',
    );
    await writeFile(join(dir, 'syntax.toml'), 'id = "s"\nname = "S"\naction = [\n');
    const { context, stdout, stderr } = commandContext([dir]);
    expect(await checkCommand(context)).toBe(1);
    const lines = stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${dir}/syntax\\.toml:\\d+: `));
    expect(lines[1]).toBe(
      `${dir}/typo.toml:5: target_filter.label: unknown key; expected one of container_names, image_patterns, labels, posture_below`,
    );
    expect(lines[2]).toBe(
      `${dir}/web.toml:7: severity_threshold: expected one of Info, Low, Medium, High, Critical`,
    );
    expect(stderr()).toBe(`brig check: 3 errors in ${dir}\n`);
  });

  it('a missing directory is invalid input (exit 1), naming it', async () => {
    const { context, stdout } = commandContext(['/nonexistent/brig-policies']);
    expect(await checkCommand(context)).toBe(1);
    expect(stdout()).toBe(
      '/nonexistent/brig-policies: cannot read the policy directory: no such file or directory\n',
    );
  });

  it('more than one DIR is a usage error', async () => {
    const { context } = commandContext(['a', 'b']);
    await expect(checkCommand(context)).rejects.toMatchObject({ exitCode: 2 });
    await expect(checkCommand(context)).rejects.toBeInstanceOf(CliError);
  });

  it('without DIR uses --policies', async () => {
    const { context, stdout } = commandContext([], { policies: 'policies' });
    expect(await checkCommand(context)).toBe(0);
    expect(stdout()).toContain('7 policies in 7 files: ok');
  });
});
