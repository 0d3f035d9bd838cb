import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tar from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceCommand } from '../../source/commands/evidence.js';
import type { DockerPort } from '../../source/docker/docker-port.js';
import type { JournalEntry } from '../../source/domain/journal-record.js';
import { captureEvidence, type CaptureResult } from '../../source/evidence/capture.js';
import { captureRecord } from '../../source/evidence/capture-record.js';
import { sha256 } from '../../source/evidence/manifest.js';
import { Journal } from '../../source/journal/journal.js';
import { runCommand } from '../helpers/command-context.js';
import { TestContainers, testPort } from '../helpers/engine.js';

let port: DockerPort;
let containers: TestContainers;
let work: string;

/** Writes under /tmp and /etc, logs on both streams, runs three processes, then says ready. */
function script(marker: string, extra = ''): string[] {
  return [
    'sh',
    '-c',
    [
      'mkdir -p /tmp/brig-ev',
      `echo ${marker}-tmp > /tmp/brig-ev/${marker}.txt`,
      `echo ${marker}-etc > /etc/brig-ev-${marker}.conf`,
      extra,
      `echo ${marker}-out`,
      `echo ${marker}-err >&2`,
      'sleep 3601 &',
      'sleep 3602 &',
      'touch /tmp/brig-ev/ready',
      'exec sleep 3600',
    ]
      .filter(Boolean)
      .join('\n'),
  ];
}

async function startWriter(prefix: string, marker: string, extra = '') {
  const c = await containers.run(prefix, { Cmd: script(marker, extra) });
  for (let i = 0; i < 100; i++) {
    const changes = await port.changes(c.id);
    if (changes.some((ch) => ch.path === '/tmp/brig-ev/ready')) {
      const top = await port.top(c.id, undefined);
      if (top.processes.length >= 3) return c;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${prefix} never became ready`);
}

async function tarEntries(file: string): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => {
      entries.set(header.name, Buffer.concat(parts).toString('utf8'));
      next();
    });
  });
  await new Promise<void>((resolve, reject) => {
    extract.on('finish', resolve);
    extract.on('error', reject);
    extract.end(readFileSync(file));
  });
  return entries;
}

async function journalCapture(result: CaptureResult): Promise<string> {
  const file = path.join(work, `journal-${path.basename(result.dir)}.jsonl`);
  const journal = await Journal.open(file);
  await journal.appendDurable(captureRecord(result) as unknown as JournalEntry);
  await journal.flush();
  return file;
}

beforeAll(async () => {
  port = testPort();
  containers = new TestContainers(port);
  await port.ping();
  work = await mkdtemp(path.join(tmpdir(), 'brig-evidence-'));
});

afterAll(async () => {
  await containers.cleanup();
  await rm(work, { recursive: true, force: true });
});

describe('evidence capture against the real engine (DESIGN §13)', () => {
  let suspect: { id: string; name: string };
  let bystander: { id: string; name: string };
  let result: CaptureResult;
  let journal: string;

  beforeAll(async () => {
    [suspect, bystander] = await Promise.all([
      startWriter('ev-suspect', 'suspect'),
      startWriter('ev-bystander', 'bystander'),
    ]);
    await port.pause(suspect.id);
    result = await captureEvidence(
      port,
      suspect,
      {
        trace: 'alert-42',
        origin: 'policy',
        alert: {
          id: 'alert-42',
          time: new Date().toISOString(),
          source: 'ndjson',
          rule: 'test_rule',
          severity: 'High',
          container: { name: suspect.name },
          message: 'test',
          fields: {},
        },
        decision: { policy: 'p1', verdict: 'execute', action: 'pause' },
      },
      { dir: path.join(work, 'evidence') },
    );
    journal = await journalCapture(result);
  });

  it('captures a paused container completely, with private files and a manifest the journal names', async () => {
    expect(result.reasons).toEqual([]);
    expect(result.complete).toBe(true);
    expect((await port.inspectContainer(suspect.id)).State.Status).toBe('paused');
    expect(path.basename(result.dir)).toMatch(
      new RegExp(`^\\d{8}T\\d{6}\\.\\d{3}Z-${suspect.name}-alert-42$`),
    );
    expect((await stat(result.dir)).mode & 0o777).toBe(0o700);
    const names = (await readdir(result.dir)).sort();
    expect(names).toEqual(
      [
        'alert.json',
        'changes.json',
        'decision.json',
        'files.json',
        'files.tar',
        'inspect.json',
        'limits.json',
        'logs-stderr.log',
        'logs-stdout.log',
        'manifest.json',
        'networks.json',
        'processes.json',
        'stats.json',
      ].sort(),
    );
    for (const name of names) expect((await stat(path.join(result.dir, name))).mode & 0o777).toBe(0o600);
    const manifestText = await readFile(path.join(result.dir, 'manifest.json'));
    expect(sha256(manifestText)).toBe(result.manifestSha256);
    const manifest = JSON.parse(manifestText.toString()) as {
      files: { name: string; size: number; sha256: string }[];
      engine: { version?: string };
      brig: string;
      state: string;
    };
    expect(manifest.files.map((f) => f.name).sort()).toEqual(names.filter((n) => n !== 'manifest.json'));
    for (const f of manifest.files) {
      const data = await readFile(path.join(result.dir, f.name));
      expect({ name: f.name, size: data.length, sha256: sha256(data) }).toEqual(f);
    }
    expect(manifest.engine.version).toMatch(/^\d+\./);
    expect(manifest.brig).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.state).toBe('paused');
  });

  it('lists the processes with full args, names the changed paths, and archives the files', async () => {
    const processes = JSON.parse(await readFile(path.join(result.dir, 'processes.json'), 'utf8')) as {
      titles: string[];
      processes: string[][];
    };
    const commands = processes.processes.map((p) => p.at(-1));
    expect(commands).toEqual(expect.arrayContaining(['sleep 3600', 'sleep 3601', 'sleep 3602']));
    const changes = JSON.parse(await readFile(path.join(result.dir, 'changes.json'), 'utf8')) as {
      path: string;
      kind: string;
    }[];
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: '/tmp/brig-ev/suspect.txt', kind: 'added' },
        { path: '/etc/brig-ev-suspect.conf', kind: 'added' },
      ]),
    );
    const files = await tarEntries(path.join(result.dir, 'files.tar'));
    expect(files.get('tmp/brig-ev/suspect.txt')).toBe('suspect-tmp\n');
    expect(files.get('etc/brig-ev-suspect.conf')).toBe('suspect-etc\n');
    const out = await readFile(path.join(result.dir, 'logs-stdout.log'), 'utf8');
    const err = await readFile(path.join(result.dir, 'logs-stderr.log'), 'utf8');
    expect(out).toMatch(/^\d{4}-\d\d-\d\dT\S+ suspect-out$/m);
    expect(err).toMatch(/^\d{4}-\d\d-\d\dT\S+ suspect-err$/m);
    expect(out).not.toContain('suspect-err');
  });

  it('never reads another container: nothing of the bystander is in the bundle', async () => {
    for (const name of await readdir(result.dir)) {
      const data = await readFile(path.join(result.dir, name), 'latin1');
      expect(data, name).not.toContain(bystander.id.slice(0, 12));
      expect(data, name).not.toContain(bystander.name);
      expect(data, name).not.toContain('bystander');
    }
  });

  it('brig evidence verify passes, then fails naming the file after one byte of it changes', async () => {
    const ok = await runCommand(evidenceCommand, ['verify', result.dir], { journal });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('ok, 12 files match the manifest');

    const target = path.join(result.dir, 'processes.json');
    const original = await readFile(target);
    const changed = Buffer.from(original);
    changed[10] = changed[10]! ^ 0x01;
    await writeFile(target, changed);
    const bad = await runCommand(evidenceCommand, ['verify', result.dir], { journal });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/processes\.json: sha256 [0-9a-f]{64}, the manifest says/);
    await writeFile(target, original);

    // The manifest itself is checked against the journal.
    const manifest = path.join(result.dir, 'manifest.json');
    const text = await readFile(manifest);
    await writeFile(manifest, Buffer.concat([text, Buffer.from(' ')]));
    const forged = await runCommand(evidenceCommand, ['verify', result.dir], { journal });
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/manifest\.json: sha256 .* differs from the journal's capture record/);
    await writeFile(manifest, text);

    // A file slipped in afterwards is named too.
    await writeFile(path.join(result.dir, 'zz-extra.txt'), 'x');
    const extra = await runCommand(evidenceCommand, ['verify', result.dir], { journal });
    expect(extra.code).toBe(1);
    expect(extra.stderr).toContain('zz-extra.txt: not in the manifest');
    await rm(path.join(result.dir, 'zz-extra.txt'));

    const again = await runCommand(evidenceCommand, ['verify', result.dir], { journal });
    expect(again.code).toBe(0);
    const none = await runCommand(evidenceCommand, ['verify', result.dir], {
      journal: path.join(work, 'empty.jsonl'),
    });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('manifest.json: no capture record for this bundle');
  });

  it('brig evidence list shows the bundle and its status', async () => {
    const listed = await runCommand(evidenceCommand, ['list', path.join(work, 'evidence')]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${result.dir}  ${suspect.name} 12 files`);
    expect(listed.stdout).toContain('complete');
  });
});

describe('evidence capture limits', () => {
  it('a capture over its byte limit is partial and lists what it left out and why', async () => {
    const big = await startWriter(
      'ev-big',
      'big',
      'dd if=/dev/zero of=/tmp/brig-ev/big.bin bs=1024 count=64 2>/dev/null',
    );
    await port.pause(big.id);
    const r = await captureEvidence(
      port,
      big,
      { origin: 'manual' },
      { dir: path.join(work, 'limits'), archive_bytes: 16 * 1024, log_bytes: 4 },
    );
    expect(r.complete).toBe(false);
    expect(r.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.reasons).toEqual(
      expect.arrayContaining([
        'logs: cut at 4 bytes of the last 1000 lines',
        'archive: 1 paths left out (files.json lists them and why)',
      ]),
    );
    const listing = JSON.parse(await readFile(path.join(r.dir, 'files.json'), 'utf8')) as {
      archived: { path: string }[];
      skipped: { path: string; reason: string }[];
      bytes: number;
    };
    expect(listing.skipped).toEqual([
      {
        path: '/tmp/brig-ev/big.bin',
        reason: expect.stringContaining('65536 bytes: over the archive limit'),
      },
    ]);
    expect(listing.archived.map((a) => a.path)).toContain('/tmp/brig-ev/big.txt');
    expect(listing.bytes).toBeLessThanOrEqual(16 * 1024);
    expect((await stat(path.join(r.dir, 'files.tar'))).size).toBe(listing.bytes);
    const manifest = JSON.parse(await readFile(path.join(r.dir, 'manifest.json'), 'utf8')) as {
      complete: boolean;
      reasons: string[];
    };
    expect(manifest).toMatchObject({ complete: false, reasons: r.reasons });
    expect(path.basename(r.dir)).toMatch(/-manual-[0-9a-f]{8}$/);
  });

  it('a full disk gives a partial capture with the reason, never a throw', async () => {
    const c = await startWriter(
      'ev-full',
      'full',
      'dd if=/dev/zero of=/tmp/brig-ev/fill.bin bs=1024 count=256 2>/dev/null',
    );
    await port.pause(c.id);
    const mount = path.join(work, 'tiny');
    await mkdir(mount);
    // A 64 KiB filesystem of its own (the tests run as root, as the private engine needs).
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    try {
      const r = await captureEvidence(port, c, { origin: 'manual' }, { dir: mount });
      expect(r.complete).toBe(false);
      expect(r.reasons.join('\n')).toMatch(/disk full \(ENOSPC\)/);
      // Nothing half-written is left behind that the manifest would not account for.
      const left = await readdir(r.dir);
      expect(left).not.toContain('files.tar');
    } finally {
      execFileSync('umount', [mount]);
    }
  });

  it('a capture that runs out of time stops and says so', async () => {
    const c = await startWriter('ev-time', 'time');
    const controller = new AbortController();
    controller.abort();
    const r = await captureEvidence(
      port,
      c,
      { origin: 'manual' },
      { dir: path.join(work, 'time') },
      controller.signal,
    );
    expect(r.complete).toBe(false);
    expect(r.reasons).toContain('inspect: not taken (capture cancelled)');
    expect(r.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
