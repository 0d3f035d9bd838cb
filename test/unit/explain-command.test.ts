import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainCommand } from '../../source/commands/explain.js';
import { schemaCommand } from '../../source/commands/schema.js';
import { commandContext } from '../helpers/command-context.js';

const inventory = 'test/unit/policy/fixtures/samples-inspect.json';
const samples = 'test/fixtures/samples';
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});
async function temp(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'brig-explain-'));
  dirs.push(dir);
  await writeFile(join(dir, name), text);
  return join(dir, name);
}

describe('brig explain FILE --inventory INSPECT.json', () => {
  it('prints DESIGN §8 output: one entry per alert in input order, action as its kind name', async () => {
    const { context, stdout } = commandContext([`${samples}/native.ndjson`], {
      inventory,
      policies: 'policies',
    });
    expect(await explainCommand(context)).toBe(0);
    const out = JSON.parse(stdout()) as { alert: { rule: string }; decisions: Record<string, unknown>[] }[];
    expect(out.map((e) => e.alert.rule)).toEqual(['fork_storm', 'crypto_miner_dns', 'port_scan']);
    expect(out[0]!.decisions).toEqual([
      {
        policy: 'fork-storm-pause',
        container: { id: expect.stringMatching(/^de0010c71e00[0-9a-f]{52}$/), name: 'demo-victim' },
        action: 'pause',
        verdict: 'execute',
        reason: 'pause demo-victim now: armed, no guard rail applies',
      },
    ]);
    expect(Object.keys(out[2]!.decisions[0]!)).toEqual([
      'policy',
      'container',
      'action',
      'verdict',
      'reason',
    ]);
    expect(out[2]!.decisions[0]).toMatchObject({
      container: null,
      action: 'notify',
      verdict: 'blast-radius',
    });
  });

  it('reads any intake format (Alertmanager here) and ignores resolved entries', async () => {
    const { context, stdout } = commandContext([`${samples}/alertmanager-v4.json`], {
      inventory,
      policies: 'policies',
    });
    expect(await explainCommand(context)).toBe(0);
    const out = JSON.parse(stdout()) as { decisions: { action: string; container: { name: string } }[] }[];
    expect(out).toHaveLength(1);
    expect(out[0]!.decisions[0]).toMatchObject({ action: 'throttle', container: { name: 'batch-worker-2' } });
  });

  it('honours --dry-run and guard.protect_names from the config', async () => {
    const config = await temp('config.toml', '[guard]\nprotect_names = ["demo-*"]\n');
    const { context, stdout } = commandContext([`${samples}/native.ndjson`], {
      inventory,
      policies: 'policies',
      config,
    });
    await explainCommand(context);
    const out = JSON.parse(stdout()) as { decisions: { verdict: string }[] }[];
    expect(out[0]!.decisions[0]!.verdict).toBe('protected');
    const dry = commandContext([`${samples}/native.ndjson`], {
      inventory,
      policies: 'policies',
      dryRun: true,
    });
    await explainCommand(dry.context);
    expect(
      (JSON.parse(dry.stdout()) as { decisions: { verdict: string }[] }[])[1]!.decisions[0]!.verdict,
    ).toBe('dry-run');
  });

  it('an invalid alert line is exit 1 naming the line', async () => {
    const file = await temp(
      'alerts.ndjson',
      '{"rule":"fork_storm","severity":"High","container":"demo-victim"}\n{"rule":"x","severity":"bogus"}\n{oops\n',
    );
    const { context } = commandContext([file], { inventory, policies: 'policies' });
    const error = await explainCommand(context).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 1 });
    const lines = (error as Error).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${file}:2: .*severity`));
    expect(lines[1]).toMatch(new RegExp(`^${file}:3: `));
  });

  it('a bad inventory file is exit 1 naming the entry and field', async () => {
    const bad = await temp(
      'inspect.json',
      JSON.stringify([{ Id: 'nope', Name: '/x', State: { Status: 'running' }, Config: { Image: 'a' } }]),
    );
    const { context } = commandContext([`${samples}/native.ndjson`], {
      inventory: bad,
      policies: 'policies',
    });
    await expect(explainCommand(context)).rejects.toMatchObject({
      exitCode: 1,
      message: `${bad}: [0].Id: expected a 64-hex container id`,
    });
  });

  it('broken policies are exit 1 with file:line', async () => {
    const policy = await temp('p.toml', 'id = "p"\nname = "P"\naction = "explode"\n');
    const { context } = commandContext([`${samples}/native.ndjson`], {
      inventory,
      policies: join(policy, '..'),
    });
    await expect(explainCommand(context)).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(/p\.toml:3: action: unknown action "explode"/),
    });
  });

  it('FILE is required (usage, exit 2); a missing FILE is invalid input (exit 1)', async () => {
    await expect(explainCommand(commandContext([]).context)).rejects.toMatchObject({ exitCode: 2 });
    await expect(
      explainCommand(commandContext(['/nonexistent.ndjson'], { inventory }).context),
    ).rejects.toMatchObject({
      exitCode: 1,
      message: 'brig explain: /nonexistent.ndjson: cannot read the alert file: no such file',
    });
  });
});

describe('brig schema', () => {
  it('prints a JSON Schema accepting both file forms, unknown keys refused', async () => {
    const { context, stdout } = commandContext([]);
    expect(await schemaCommand(context)).toBe(0);
    const schema = JSON.parse(stdout()) as {
      $schema: string;
      anyOf: {
        properties: Record<string, { pattern?: string }>;
        additionalProperties: boolean;
        required?: string[];
      }[];
    };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const [single, many] = schema.anyOf;
    expect(single!.additionalProperties).toBe(false);
    expect(single!.required).toEqual(['id', 'name']);
    expect(Object.keys(single!.properties)).toEqual(
      expect.arrayContaining([
        'id',
        'severity_threshold',
        'rules',
        'escalation',
        'target_filter',
        'action',
        'continue',
      ]),
    );
    expect(new RegExp(single!.properties.severity_threshold!.pattern!).test('hIGh')).toBe(true);
    expect(new RegExp(single!.properties.severity_threshold!.pattern!).test('Hgh')).toBe(false);
    expect(Object.keys(many!.properties)).toEqual(['policies']);
  });
});
