import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  formatPolicyError,
  loadPolicyDir,
  parsePolicyText,
  parsePolicyTexts,
} from '../../../source/config/policy-loader.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function dirWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'brig-policies-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

function messages(file: string, text: string): string[] {
  return parsePolicyText(file, text).errors.map(formatPolicyError);
}

describe('parsePolicyText: the forms DESIGN §3 accepts', () => {
  it('loads an ironpost policy unchanged', () => {
    const { policies, errors } = parsePolicyText(
      'ironpost.toml',
      `id = "fork-storm-pause"
name = "Fork storm: pause"
description = "Pause containers in a fork storm"
enabled = true
severity_threshold = "High"
priority = 10

[target_filter]
container_names = ["web-*"]
image_patterns = ["nginx:*"]

[action]
Pause = []
`,
    );
    expect(errors).toEqual([]);
    expect(policies).toHaveLength(1);
    const p = policies[0]!;
    expect(p).toMatchObject({
      id: 'fork-storm-pause',
      file: 'ironpost.toml',
      line: 1,
      severity_threshold: 'High',
      priority: 10,
      action: { kind: 'pause' },
      mode: 'enforce',
      max_targets: 1,
      continue: false,
      rules: [],
      sources: [],
    });
    expect(p.target_filter.labels).toEqual([]);
  });

  it('maps every ironpost and Brig action table to an ActionSpec', () => {
    const cases: [string, unknown][] = [
      ['Stop = []', { kind: 'stop', timeoutSecs: 10 }],
      ['Stop = { timeout_secs = 3 }', { kind: 'stop', timeoutSecs: 3 }],
      ['Kill = { signal = "TERM" }', { kind: 'kill', signal: 'SIGTERM' }],
      ['Kill = []', { kind: 'kill', signal: 'SIGKILL' }],
      ['Restart = {}', { kind: 'restart', timeoutSecs: 10 }],
      ['NetworkDisconnect = { networks = ["bridge"] }', { kind: 'network-disconnect', networks: ['bridge'] }],
      ['NetworkDisconnect = []', { kind: 'network-disconnect', networks: [] }],
      ['Quarantine = []', { kind: 'quarantine', network: 'brig-quarantine' }],
      ['Quarantine = { network = "jail" }', { kind: 'quarantine', network: 'jail' }],
      [
        'Throttle = { cpus = 0.1, pids_limit = 64, memory = "128m" }',
        { kind: 'throttle', cpus: 0.1, pidsLimit: 64, memory: 128 * 1024 * 1024 },
      ],
      ['Throttle = { memory = "1g" }', { kind: 'throttle', memory: 1024 ** 3 }],
      ['Throttle = { memory = 1048576 }', { kind: 'throttle', memory: 1048576 }],
      ['Throttle = []', { kind: 'throttle', cpus: 0.1, pidsLimit: 64 }],
      ['Notify = []', { kind: 'notify' }],
      ['pause = []', { kind: 'pause' }],
    ];
    for (const [line, expected] of cases) {
      const { policies, errors } = parsePolicyText('a.toml', `id = "a"\nname = "A"\n[action]\n${line}\n`);
      expect(errors, line).toEqual([]);
      expect(policies[0]!.action, line).toEqual(expected);
    }
  });

  it('accepts action = "pause" shorthand in any casing', () => {
    for (const name of ['pause', 'PAUSE', 'Pause']) {
      const { policies } = parsePolicyText('a.toml', `id = "a"\nname = "A"\naction = "${name}"\n`);
      expect(policies[0]!.action).toEqual({ kind: 'pause' });
    }
    const nd = parsePolicyText('a.toml', `id = "a"\nname = "A"\naction = "network-disconnect"\n`);
    expect(nd.policies[0]!.action).toEqual({ kind: 'network-disconnect', networks: [] });
  });

  it('reads [[policies]] files, each policy with its own line', () => {
    const { policies, errors } = parsePolicyText(
      'many.toml',
      `[[policies]]
id = "one"
name = "One"
action = "pause"

[[policies]]
id = "two"
name = "Two"
severity_threshold = "critical"
[policies.action]
Kill = []
`,
    );
    expect(errors).toEqual([]);
    expect(policies.map((p) => [p.id, p.line, p.severity_threshold, p.action?.kind])).toEqual([
      ['one', 2, 'Info', 'pause'],
      ['two', 7, 'Critical', 'kill'],
    ]);
  });

  it('reads escalation entries as strings or tables', () => {
    const { policies, errors } = parsePolicyText(
      'esc.toml',
      `id = "esc"\nname = "E"\nescalation = ["Throttle", { Pause = [] }, "kill", { Throttle = { cpus = 0.5 } }]\n`,
    );
    expect(errors).toEqual([]);
    expect(policies[0]!.escalation).toEqual([
      { kind: 'throttle', cpus: 0.1, pidsLimit: 64 },
      { kind: 'pause' },
      { kind: 'kill', signal: 'SIGKILL' },
      { kind: 'throttle', cpus: 0.5 },
    ]);
    expect(policies[0]!.action).toBeUndefined();
  });
});

describe('parsePolicyText: every error names file:line', () => {
  it('names the line of a bad severity with the DESIGN message', () => {
    const text = `id = "web"\nname = "Web"\n\n\n\n\nseverity_threshold = "Hgh"\naction = "pause"\n`;
    expect(messages('policies/web.toml', text)).toEqual([
      'policies/web.toml:7: severity_threshold: expected one of Info, Low, Medium, High, Critical',
    ]);
  });

  it('reports a TOML syntax error with its line', () => {
    const errors = messages('bad.toml', `id = "x"\nname = "X"\naction = \n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^bad\.toml:3: \S/);
  });

  it('rejects unknown keys at every level, each on its own line', () => {
    const text = `id = "a"
name = "A"
severity = "High"
[target_filter]
container_name = ["web"]
[action]
Throttle = { cpus = 0.5, memroy = "1g" }
`;
    expect(messages('a.toml', text)).toEqual([
      'a.toml:3: severity: unknown key; expected one of id, name, description, enabled, severity_threshold, priority, ' +
        'rules, sources, mode, cooldown_secs, max_actions_per_hour, grace_period_secs, max_targets, continue, ' +
        'restore_on_resolve, escalation, target_filter, action, capture',
      'a.toml:5: target_filter.container_name: unknown key; expected one of container_names, image_patterns, labels, posture_below',
      'a.toml:7: action.Throttle.memroy: unknown key; expected one of cpus, pids_limit, memory',
    ]);
    expect(messages('b.toml', 'id = "b"\nname = "B"\n[action]\nPauze = []\n')).toEqual(
      [
        'b.toml:4: action.Pauze: unknown key; expected one of Pause, Stop, Kill, Restart, NetworkDisconnect, Quarantine, Throttle, Notify, Capture',
        'b.toml:3: action: expected exactly one action: Pause, Stop, Kill, Restart, NetworkDisconnect, Quarantine, Throttle, Notify, Capture',
      ].sort((x, y) => Number(x.split(':')[1]) - Number(y.split(':')[1])),
    );
    expect(
      messages(
        'c.toml',
        '[[policies]]\nid = "c"\nname = "C"\nescalation = ["pause", { Kill = { sig = "TERM" } }]\n',
      ),
    ).toEqual(['c.toml:4: policies[0].escalation[1].Kill.sig: unknown key; expected one of signal']);
  });

  it('explains bad actions', () => {
    expect(messages('a.toml', `id = "a"\nname = "A"\naction = "Pauze"\n`)).toEqual([
      'a.toml:3: action: unknown action "Pauze": expected one of Pause, Stop, Kill, Restart, NetworkDisconnect, Quarantine, Throttle, Notify, Capture',
    ]);
    expect(messages('a.toml', `id = "a"\nname = "A"\n[action]\nPause = []\nStop = []\n`)).toEqual([
      'a.toml:3: action: expected exactly one action, got Pause and Stop',
    ]);
    expect(messages('a.toml', `id = "a"\nname = "A"\n[action]\nThrottle = { memory = "12x" }\n`)).toEqual([
      'a.toml:4: action.Throttle.memory: expected bytes or a size like "128m" or "1g", got "12x"',
    ]);
    expect(messages('a.toml', `id = "a"\nname = "A"\n`)).toEqual([
      'a.toml: action: expected an [action] table (e.g. Pause = []), action = "pause", or an escalation list',
    ]);
  });

  it('a missing field says "missing", in both forms of file (issue 16.1)', () => {
    expect(messages('a.toml', 'id = "a"\naction = "pause"\n')).toEqual([
      'a.toml: name: missing; expected string',
    ]);
    expect(messages('b.toml', '[[policies]]\nid = "b"\naction = "pause"\n')).toEqual([
      'b.toml:1: policies[0].name: missing; expected string',
    ]);
    expect(messages('c.toml', 'id = "c"\nname = 3\naction = "pause"\n')).toEqual([
      'c.toml:2: name: got number; expected string',
    ]);
  });

  it('reports all errors of a file, in line order', () => {
    const text = `id = "bad id!"\nname = ""\npriority = "high"\nmax_targets = 0\nmode = "yolo"\naction = "pause"\n`;
    const errors = messages('m.toml', text);
    expect(errors.map((e) => e.split(':')[1])).toEqual(['1', '2', '3', '4', '5']);
  });

  it('names the index of a bad [[policies]] entry', () => {
    const text = `[[policies]]\nid = "one"\nname = "One"\naction = "pause"\n\n[[policies]]\nid = "two"\nname = "Two"\naction = "pause"\nrules = "x"\n`;
    expect(messages('many.toml', text)).toEqual([
      'many.toml:10: policies[1].rules: got string; expected array',
    ]);
  });
});

describe('loadPolicyDir', () => {
  it('loads every .toml file, ignores other files and subdirectories', async () => {
    const dir = await dirWith({
      'a.toml': 'id = "a"\nname = "A"\naction = "pause"\n',
      'b.toml':
        '[[policies]]\nid = "b1"\nname = "B1"\naction = "kill"\n[[policies]]\nid = "b2"\nname = "B2"\naction = "stop"\n',
      'README.md': 'not a policy',
    });
    await mkdir(join(dir, 'seccomp'));
    await writeFile(join(dir, 'seccomp', 'x.toml'), 'garbage = = =');
    const result = await loadPolicyDir(dir);
    expect(result.errors).toEqual([]);
    expect(result.policies.map((p) => p.id)).toEqual(['a', 'b1', 'b2']);
    expect(result.files).toEqual([
      { file: join(dir, 'a.toml'), policies: 1 },
      { file: join(dir, 'b.toml'), policies: 2 },
    ]);
  });

  it('finds every error of a broken directory with file:line', async () => {
    const dir = await dirWith({
      'a.toml': 'id = "dup"\nname = "A"\naction = "pause"\n',
      'b.toml': '# second\nid = "dup"\nname = "B"\naction = "pause"\n',
      'c.toml': 'id = "c"\nname = "C"\nseverity_threshold = "urgent"\naction = "pause"\n',
      'd.toml': 'id = "d"\nname = "D\naction = "pause"\n',
      'e.toml': '',
    });
    const result = await loadPolicyDir(dir);
    const lines = result.errors.map((e) => formatPolicyError(e).slice(dir.length + 1));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      'b.toml:2: id: duplicate policy id "dup" (first defined at ' + join(dir, 'a.toml') + ':1)',
    );
    expect(lines[1]).toBe('c.toml:3: severity_threshold: expected one of Info, Low, Medium, High, Critical');
    expect(lines[2]).toMatch(/^d\.toml:2: /);
    expect(lines[3]).toBe(
      'e.toml: no policy in this file: expected id, name and an action, or [[policies]] tables',
    );
  });

  it('caps files at 1 MiB', async () => {
    const dir = await dirWith({
      'big.toml': `id = "big"\nname = "B"\naction = "pause"\n# ${'x'.repeat(1024 * 1024)}\n`,
    });
    const result = await loadPolicyDir(dir);
    expect(result.policies).toEqual([]);
    expect(formatPolicyError(result.errors[0]!)).toMatch(
      /big\.toml: file is \d+ bytes; policy files are capped at 1 MiB$/,
    );
  });

  it('caps the set at 1000 policies', () => {
    const entry = (i: number) => `[[policies]]\nid = "p${i}"\nname = "P"\naction = "pause"\n`;
    const text = Array.from({ length: 1001 }, (_, i) => entry(i)).join('\n');
    const result = parsePolicyTexts([{ file: 'many.toml', text }]);
    expect(result.errors.map((e) => e.message)).toEqual(['1001 policies in all; the limit is 1000']);
  });

  it('reports a missing directory instead of throwing', async () => {
    const result = await loadPolicyDir(join(tmpdir(), 'brig-no-such-dir-h1'));
    expect(result.errors[0]!.message).toBe('cannot read the policy directory: no such file or directory');
  });
});
