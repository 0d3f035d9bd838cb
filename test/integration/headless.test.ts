import { createServer } from 'node:http';
import { appendFile, chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal } from '../../source/journal/read-journal.js';
import { spawnBrig, type BrigProcess } from '../helpers/brig-process.js';
import { TestContainers, testDockerHost, testPort } from '../helpers/engine.js';

const port = testPort();
const containers = new TestContainers(port);
let brig: BrigProcess | undefined;

beforeAll(() => port.ping());
afterAll(async () => {
  if (brig && brig.child.exitCode === null) brig.child.kill('SIGKILL');
  await containers.cleanup();
});

const samples = new URL('../fixtures/samples/', import.meta.url);

describe('brig --headless (the built CLI) on the real engine', () => {
  it('armed: a Falcosidekick event POSTed to /v1/falco pauses exactly its container; records on stdout; SIGTERM exits 0', async () => {
    const target = await containers.run('hl-target');
    const other = await containers.run('hl-other');
    brig = await spawnBrig(
      {
        'etc.toml': `
id = "write-below-etc"
name = "Write below /etc: pause"
severity_threshold = "High"
rules = ["Write below etc"]
[action]
Pause = []
`,
      },
      ['--arm'],
      { dockerHost: testDockerHost() },
    );
    const event = JSON.parse(await readFile(new URL('falcosidekick-write-below-etc.json', samples), 'utf8'));
    event.output_fields['container.id'] = target.id.slice(0, 12);
    event.output_fields['container.name'] = target.name;
    event.uuid = `${event.uuid.slice(0, 24)}${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
    const answer = await brig.post('/v1/falco', event);
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toMatchObject({ accepted: 1, rejected: [] });

    const action = await brig.waitFor((r) => r.type === 'action', 'action record on stdout');
    expect(action).toMatchObject({
      action: 'pause',
      result: 'ok',
      container: { id: target.id, name: target.name },
      alert: event.uuid,
    });
    expect((await port.inspectContainer(target.id)).State.Status).toBe('paused');
    expect((await port.inspectContainer(other.id)).State.Status).toBe('running');
    const alert = brig.records.find((r) => r.type === 'alert') as { alert: Record<string, unknown> };
    expect(alert.alert).toMatchObject({ source: 'falcosidekick', rule: 'Write below etc', severity: 'High' });
    expect(brig.records.find((r) => r.type === 'decision')).toMatchObject({
      verdict: 'execute',
      action: 'pause',
      policy: 'write-below-etc',
    });

    brig.child.kill('SIGTERM');
    expect(await brig.exited).toBe(0);
    const journal = await readJournal(brig.journalFile);
    expect(journal.records.map((r) => r.type)).toEqual(brig.records.map((r) => r.type));
    expect(journal.records.at(-1)).toMatchObject({ type: 'engine', event: 'stop' });
  });

  it('disarmed by default: the same alert is queued, nothing is touched', async () => {
    const target = await containers.run('hl-disarmed');
    brig = await spawnBrig(
      {
        'n.toml':
          'id = "p"\nname = "p"\nseverity_threshold = "High"\nrules = ["fork_storm"]\n[action]\nPause = []\n',
      },
      [],
      { dockerHost: testDockerHost() },
    );
    const answer = await brig.post('/v1/alerts', {
      rule: 'fork_storm',
      severity: 'high',
      container: target.name,
    });
    expect(answer.status).toBe(202);
    await brig.waitFor((r) => r.type === 'decision', 'decision');
    expect(brig.records.find((r) => r.type === 'decision')).toMatchObject({
      verdict: 'disarmed',
      action: 'pause',
    });
    expect((await port.inspectContainer(target.id)).State.Status).toBe('running');
    brig.child.kill('SIGTERM');
    expect(await brig.exited).toBe(0);
  });

  it('--alerts FILE is followed from its end: old lines are not acted on again, appended ones are', async () => {
    const target = await containers.run('hl-file');
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-alerts-'));
    const file = path.join(dir, 'falco.ndjson');
    const line = (id: string) =>
      `${JSON.stringify({ id, rule: 'fork_storm', severity: 'High', container: target.name })}\n`;
    await writeFile(file, line(`old-${process.pid}`));
    brig = await spawnBrig(
      {
        'f.toml':
          'id = "p"\nname = "p"\nseverity_threshold = "High"\nrules = ["fork_storm"]\n[action]\nPause = []\n',
      },
      ['--arm', '--alerts', file],
      { dockerHost: testDockerHost() },
    );
    await new Promise((r) => setTimeout(r, 500));
    await appendFile(file, line(`new-${process.pid}`));
    const action = await brig.waitFor((r) => r.type === 'action', 'action for the appended line');
    expect(action).toMatchObject({ alert: `new-${process.pid}`, action: 'pause', result: 'ok' });
    expect(brig.records.filter((r) => r.type === 'alert').map((r) => (r.alert as { id: string }).id)).toEqual(
      [`new-${process.pid}`],
    );
    expect((await port.inspectContainer(target.id)).State.Status).toBe('paused');
    brig.child.kill('SIGTERM');
    expect(await brig.exited).toBe(0);
  });

  it('config.toml: [[notify]] webhooks receive the action record; guard.protect_names is never touched', async () => {
    const target = await containers.run('hl-notify');
    const guarded = await containers.run('hl-guarded');
    const received: Record<string, unknown>[] = [];
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const hookPort = (hook.address() as { port: number }).port;
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-conf-'));
    const config = path.join(dir, 'config.toml');
    await writeFile(
      config,
      `[guard]\nprotect_names = ["${guarded.name}"]\n\n[[notify]]\nkind = "webhook"\nurl = "http://127.0.0.1:${hookPort}/hook"\n`,
    );
    try {
      brig = await spawnBrig(
        {
          'n.toml':
            'id = "p"\nname = "p"\nseverity_threshold = "High"\nrules = ["fork_storm"]\n[action]\nPause = []\n',
        },
        ['--arm', '--config', config],
        { dockerHost: testDockerHost() },
      );
      const answer = await brig.post(
        '/v1/alerts',
        [guarded.name, target.name].map((name) => ({
          rule: 'fork_storm',
          severity: 'High',
          container: name,
        })),
      );
      expect(JSON.parse(answer.body)).toMatchObject({ accepted: 2 });
      await brig.waitFor((r) => r.type === 'action', 'the pause');
      const decisions = brig.records.filter((r) => r.type === 'decision');
      expect(decisions.map((d) => d.verdict).sort()).toEqual(['execute', 'protected']);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ action: 'pause', result: 'ok', container: { id: target.id } });
      expect((await port.inspectContainer(guarded.id)).State.Status).toBe('running');
      brig.child.kill('SIGTERM');
      expect(await brig.exited).toBe(0);
    } finally {
      hook.close();
    }
  });

  it('HTTP control with a token: arm, then an alert pauses, then /v1/restore/{name} undoes it', async () => {
    const target = await containers.run('hl-http');
    const dir = await mkdtemp(path.join(tmpdir(), 'brig-token-'));
    const tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, 's3cret-token-for-tests\n');
    await chmod(tokenFile, 0o600);
    brig = await spawnBrig(
      {
        'h.toml':
          'id = "p"\nname = "p"\nseverity_threshold = "High"\nrules = ["fork_storm"]\n[action]\nPause = []\n',
      },
      ['--token-file', tokenFile],
      { dockerHost: testDockerHost() },
    );
    const auth = { authorization: 'Bearer s3cret-token-for-tests' };
    expect((await brig.post('/v1/arm', '')).status).toBe(401);
    expect((await brig.post('/v1/arm', '', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect(
      (await brig.post('/v1/alerts', { rule: 'fork_storm', severity: 'High', container: target.name }))
        .status,
    ).toBe(401);
    expect((await brig.post('/v1/arm', '', auth)).status).toBe(200);
    expect(
      (await brig.post('/v1/alerts', { rule: 'fork_storm', severity: 'High', container: target.name }, auth))
        .status,
    ).toBe(202);
    await brig.waitFor((r) => r.type === 'action' && r.action === 'pause', 'pause');
    expect((await port.inspectContainer(target.id)).State.Status).toBe('paused');

    const restored = await brig.post(`/v1/restore/${target.name}`, '', auth);
    expect(restored.status).toBe(200);
    expect(JSON.parse(restored.body)).toMatchObject({
      action: 'restore',
      result: 'ok',
      container: { id: target.id },
    });
    expect((await port.inspectContainer(target.id)).State.Status).toBe('running');
    const again = await brig.post(`/v1/restore/${target.name}`, '', auth);
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.body).toMatch(/nothing to restore/);
    const operator = brig.records.filter((r) => r.type === 'operator').map((r) => r.command);
    expect(operator).toEqual(['arm', 'restore', 'restore']);
    brig.child.kill('SIGTERM');
    expect(await brig.exited).toBe(0);
  });
});
