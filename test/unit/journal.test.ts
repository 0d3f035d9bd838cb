import { spawn } from 'node:child_process';
import {
  type FileHandle,
  mkdtemp,
  open,
  readFile,
  readdir,
  rm,
  stat,
  truncate,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActionRecord } from '../../source/domain/action-record.js';
import type { JournalEntry, JournalRecord } from '../../source/domain/journal-record.js';
import { Journal, JournalLockedError } from '../../source/journal/journal.js';
import { readJournal } from '../../source/journal/read-journal.js';
import { actionEntry, rebuildState } from '../../source/journal/rebuild.js';

const cid = (n: number) => n.toString(16).padStart(64, '0');

function action(over: Partial<ActionRecord> & Pick<ActionRecord, 'id' | 'action'>): ActionRecord {
  return {
    alert: 'a-1',
    policy: 'fork-storm-pause',
    container: { id: cid(1), name: 'web-1' },
    engine: 'unix:///var/run/docker.sock',
    result: 'ok',
    attempts: 1,
    latency_ms: 12,
    origin: 'policy',
    ts: '2020-01-01T00:00:00.000Z',
    ...over,
  };
}

/** FileHandle's methods, spied on through its prototype: the journal's handle is private. */
interface HandleMethods {
  write: (...args: unknown[]) => Promise<unknown>;
  sync: (...args: unknown[]) => Promise<unknown>;
}

const tick = (n: number): JournalEntry => ({ type: 'engine', event: 'tick', n });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'brig-journal-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

describe('Journal', () => {
  it('creates the file 0600 and its directory 0700', async () => {
    const file = path.join(dir, 'state', 'brig', 'journal.jsonl');
    const journal = await Journal.open(file);
    journal.append(tick(1));
    await journal.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(dir, 'state'))).mode & 0o777).toBe(0o700);
  });

  it('stamps v and ts (its own ts wins over the ActionRecord ts), returns the record and tells listeners', async () => {
    const journal = await Journal.open(path.join(dir, 'j.jsonl'));
    const seen: JournalRecord[] = [];
    const off = journal.onRecord((r) => seen.push(r));
    const record = journal.append({ ...actionEntry(action({ id: 'x1', action: 'pause' })) });
    journal.append({ ...action({ id: 'x2', action: 'pause' }), type: 'action' } as JournalEntry);
    off();
    journal.append(tick(3));
    await journal.close();
    expect(record).toMatchObject({ v: 1, type: 'action', id: 'x1', action: 'pause', result: 'ok' });
    expect(record.ts).not.toBe('2020-01-01T00:00:00.000Z');
    expect(Number.isNaN(Date.parse(record.ts))).toBe(false);
    expect(seen.map((r) => (r as { id?: string }).id)).toEqual(['x1', 'x2']);
    const text = await readFile(journal.file, 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\{"v":1,"ts":"[^"]+","type":"action"/);
    expect(JSON.parse(lines[1]!).ts).not.toBe('2020-01-01T00:00:00.000Z');
  });

  it('writes records in append order, mixing buffered and durable appends', async () => {
    const journal = await Journal.open(path.join(dir, 'j.jsonl'));
    const durable: Promise<JournalRecord>[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 500 === 0) durable.push(journal.appendDurable(tick(i)));
      else journal.append(tick(i));
    }
    await Promise.all(durable);
    await journal.close();
    const { records, skipped } = await readJournal(journal.file);
    expect(skipped).toEqual([]);
    expect(records.map((r) => (r as { n?: number }).n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('appendDurable resolves only after its line is written and fsync has run', async () => {
    const journal = await Journal.open(path.join(dir, 'j.jsonl'));
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as HandleMethods;
    await probe.close();
    const events: string[] = [];
    const { write, sync } = proto;
    vi.spyOn(proto, 'write').mockImplementation(function (this: unknown, ...args: unknown[]) {
      events.push('write');
      return write.apply(this, args);
    });
    vi.spyOn(proto, 'sync').mockImplementation(function (this: unknown, ...args: unknown[]) {
      events.push('sync');
      return sync.apply(this, args);
    });
    journal.append(tick(1));
    journal.append(tick(2));
    await journal.appendDurable(actionEntry(action({ id: 'p1', action: 'pause' })));
    events.push('resolved');
    expect(events).toEqual(['write', 'sync', 'resolved']);
    // On disk without any further flush.
    const onDisk = await readJournal(journal.file);
    expect(onDisk.records.map((r) => r.type)).toEqual(['engine', 'engine', 'action']);
    await journal.close();
  });

  it('rejects a durable append whose write failed, reports it, keeps the record and writes it once it can', async () => {
    const errors: string[] = [];
    const journal = await Journal.open(path.join(dir, 'j.jsonl'), {
      onError: (e) => errors.push(e.message),
      retryMs: 10,
    });
    const health: boolean[] = [];
    journal.onHealth((h) => health.push(h.ok));
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as HandleMethods;
    await probe.close();
    const spy = vi
      .spyOn(proto, 'write')
      .mockImplementationOnce(() => Promise.reject(new Error('ENOSPC: no space left on device')));
    await expect(journal.appendDurable(tick(1))).rejects.toThrow(/ENOSPC/);
    expect(errors[0]).toMatch(/^ENOSPC/);
    spy.mockRestore();
    expect(journal.health).toMatchObject({ ok: false, error: expect.stringMatching(/ENOSPC/) });
    await journal.appendDurable(tick(2));
    await journal.close();
    const records = (await readJournal(journal.file)).records as { n?: number; event?: string }[];
    expect(records.map((r) => r.n ?? r.event)).toEqual([1, 2, 'journal-recovered']);
    expect(health).toEqual([false, true]);
  });

  it('never appends onto a torn line: a write cut short is truncated back to the last whole record', async () => {
    const file = path.join(dir, 'j.jsonl');
    const journal = await Journal.open(file, { retryMs: 10 });
    await journal.appendDurable(tick(1));
    const probe = await open(path.join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as HandleMethods;
    await probe.close();
    const realWrite = proto.write;
    // The disk takes half the buffer, then says it is full.
    const spy = vi.spyOn(proto, 'write').mockImplementationOnce(async function (
      this: FileHandle,
      ...args: unknown[]
    ) {
      const buffer = args[0] as Buffer;
      await (realWrite as (...a: unknown[]) => Promise<unknown>).call(this, buffer.subarray(0, 10), 0, 10);
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    });
    await expect(journal.appendDurable(tick(2))).rejects.toThrow(/ENOSPC/);
    spy.mockRestore();
    expect((await readFile(file, 'utf8')).endsWith('\n')).toBe(true);
    await journal.appendDurable(tick(3));
    await journal.close();
    const read = await readJournal(file);
    expect(read.skipped).toEqual([]);
    expect((read.records as { n?: number }[]).map((r) => r.n).filter((n) => n !== undefined)).toEqual([
      1, 2, 3,
    ]);
  });

  it('one Brig per journal: a second open names the live pid holding it; a dead holder is taken over', async () => {
    const file = path.join(dir, 'j.jsonl');
    // A live process that is not us holds the lock.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(`${file}.lock`, `${holder.pid}\n`);
      await expect(Journal.open(file)).rejects.toThrow(
        new RegExp(`in use by another Brig \\(pid ${holder.pid}\\)`),
      );
      await expect(Journal.open(file)).rejects.toBeInstanceOf(JournalLockedError);
    } finally {
      holder.kill('SIGKILL');
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    // The holder died (kill -9 leaves its lock): the next Brig takes the journal over.
    const journal = await Journal.open(file);
    expect((await readFile(`${file}.lock`, 'utf8')).trim()).toBe(String(process.pid));
    await journal.close();
    await expect(stat(`${file}.lock`)).rejects.toThrow(/ENOENT/);
  });

  it('refuses appends after close', async () => {
    const journal = await Journal.open(path.join(dir, 'j.jsonl'));
    await journal.close();
    expect(() => journal.append(tick(1))).toThrow(/closed/);
    await expect(journal.appendDurable(tick(1))).rejects.toThrow(/closed/);
  });

  it('after a crash mid-write, reopens on a fresh line and rebuilds the state it had', async () => {
    const file = path.join(dir, 'j.jsonl');
    const first = await Journal.open(file);
    first.append(actionEntry(action({ id: 'p1', action: 'pause' })));
    await first.appendDurable(
      actionEntry(action({ id: 't1', action: 'throttle', container: { id: cid(2), name: 'b' } })),
    );
    await first.close();
    const size = (await stat(file)).size;
    await writeFile(file, (await readFile(file)).toString() + '{"v":1,"ts":"2026-', { flag: 'w' });
    expect((await stat(file)).size).toBeGreaterThan(size);

    const second = await Journal.open(file);
    expect(second.skipped).toEqual([{ line: 3, reason: expect.stringMatching(/torn last line/) }]);
    expect([...second.state.isolation.keys()].sort()).toEqual([cid(1), cid(2)]);
    second.append(tick(9));
    await second.close();
    const { records, skipped } = await readJournal(file);
    expect(records.map((r) => r.type)).toEqual(['action', 'action', 'engine']);
    expect(skipped).toEqual([{ line: 3, reason: expect.stringMatching(/^not JSON/) }]);
  });

  it('rotates by size, keeps N files, and the current file alone rebuilds the same state', async () => {
    const file = path.join(dir, 'j.jsonl');
    const journal = await Journal.open(file, { maxBytes: 4096, keep: 2 });
    const all: JournalRecord[] = [];
    journal.onRecord((r) => all.push(r));
    journal.append({ type: 'operator', command: 'arm' });
    journal.append({ type: 'operator', command: 'set-policy-enabled', id: 'noisy', enabled: false });
    journal.append(actionEntry(action({ id: 'p1', action: 'pause' })));
    journal.append(
      actionEntry(action({ id: 'q2', action: 'quarantine', container: { id: cid(2), name: 'db' } })),
    );
    for (let i = 0; i < 200; i++) journal.append(tick(i));
    journal.append(actionEntry(action({ id: 'r1', action: 'restore', restored: ['p1'], origin: 'restore' })));
    journal.append(actionEntry(action({ id: 's3', action: 'stop', container: { id: cid(3), name: 'c' } })));
    for (let i = 200; i < 400; i++) journal.append(tick(i));
    await journal.close();

    const names = (await readdir(dir)).sort();
    expect(names).toEqual(['j.jsonl', 'j.jsonl.1', 'j.jsonl.2']);
    for (const name of names) expect((await stat(path.join(dir, name))).size).toBeLessThanOrEqual(4096);
    const current = await readJournal(file);
    expect(current.records[0]).toMatchObject({ type: 'engine', event: 'rotated' });
    const fromCurrent = rebuildState(current.records);
    const fromEverything = rebuildState(all.filter((r) => !(r.type === 'engine' && r.event === 'rotated')));
    for (const state of [fromCurrent, journal.state]) {
      expect(state.armed).toBe(true);
      expect([...state.disabledPolicies]).toEqual(['noisy']);
      expect([...state.isolation.keys()].sort()).toEqual([cid(2), cid(3)]);
      expect(state.isolation.get(cid(2))!.map((a) => a.id)).toEqual(['q2']);
      expect(state.history).toEqual(fromEverything.history);
    }
    expect(fromCurrent.isolation).toEqual(fromEverything.isolation);
    // Nothing is lost between the files, in order.
    const chain = [
      ...(await readJournal(`${file}.2`)).records,
      ...(await readJournal(`${file}.1`)).records,
      ...current.records,
    ];
    const ticks = chain.map((r) => (r as { n?: number }).n).filter((n) => n !== undefined);
    expect(ticks).toEqual(ticks.slice().sort((a, b) => a! - b!));
    expect(ticks.at(-1)).toBe(399);
  });

  it('a crash mid-rotation loses no state: the new file is finished, or the stale one dropped', async () => {
    const file = path.join(dir, 'j.jsonl');
    const journal = await Journal.open(file, { maxBytes: 2048, keep: 1 });
    journal.append(actionEntry(action({ id: 'p1', action: 'pause' })));
    for (let i = 0; i < 40; i++) journal.append(tick(i));
    await journal.close();
    const rotated = await readFile(file, 'utf8');
    expect(rotated.startsWith('{"v":1,"ts":')).toBe(true);
    expect(JSON.parse(rotated.split('\n')[0]!)).toMatchObject({ type: 'engine', event: 'rotated' });

    // Crash after <file> became <file>.1 but before <file>.next became <file>.
    const header = rotated.split('\n')[0]! + '\n';
    await rm(file);
    await writeFile(`${file}.next`, header);
    const resumed = await Journal.open(file);
    expect([...resumed.state.isolation.keys()]).toEqual([cid(1)]);
    await resumed.close();
    expect(await readFile(file, 'utf8')).toBe(header);

    // Crash before any rename: <file> is whole, <file>.next is a leftover.
    await writeFile(`${file}.next`, '{"v":1,"ts":"t","type":"engine","event":"rotated","state":{}}\n');
    const again = await Journal.open(file);
    expect([...again.state.isolation.keys()]).toEqual([cid(1)]);
    await again.close();
    expect((await readdir(dir)).sort()).toEqual(['j.jsonl', 'j.jsonl.1']);
  });

  it('a record larger than maxBytes still goes in (one per file) instead of looping', async () => {
    const file = path.join(dir, 'j.jsonl');
    const journal = await Journal.open(file, { maxBytes: 100, keep: 1 });
    journal.append({ type: 'engine', event: 'big', blob: 'x'.repeat(500) });
    journal.append({ type: 'engine', event: 'big', blob: 'y'.repeat(500) });
    await journal.close();
    const current = await readJournal(file);
    expect(current.records.map((r) => (r as { event: string }).event)).toEqual(['rotated', 'big']);
    expect((await readJournal(`${file}.1`)).records.map((r) => (r as { blob?: string }).blob?.[0])).toEqual([
      'x',
    ]);
  });
});

describe('rotation, any sequence', () => {
  type Op =
    | { op: 'isolate'; kind: 'pause' | 'throttle' | 'stop' | 'quarantine'; c: number; policy: boolean }
    | { op: 'restore'; c: number }
    | { op: 'notify'; c: number }
    | { op: 'arm'; on: boolean }
    | { op: 'policy'; id: string; enabled: boolean }
    | { op: 'filler'; size: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({
      op: fc.constant('isolate' as const),
      kind: fc.constantFrom('pause' as const, 'throttle' as const, 'stop' as const, 'quarantine' as const),
      c: fc.integer({ min: 1, max: 4 }),
      policy: fc.boolean(),
    }),
    fc.record({ op: fc.constant('restore' as const), c: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('notify' as const), c: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('arm' as const), on: fc.boolean() }),
    fc.record({ op: fc.constant('policy' as const), id: fc.constantFrom('a', 'b'), enabled: fc.boolean() }),
    fc.record({ op: fc.constant('filler' as const), size: fc.integer({ min: 0, max: 600 }) }),
  );

  it('the current file alone rebuilds the state of everything ever appended', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 600, max: 6000 }),
        fc.integer({ min: 1, max: 3 }),
        async (ops, maxBytes, keep) => {
          const file = path.join(dir, `p${run++}`, 'j.jsonl');
          const journal = await Journal.open(file, { maxBytes, keep });
          const all: JournalRecord[] = [];
          journal.onRecord((r) => all.push(r));
          const live = new Map<number, string[]>();
          ops.forEach((o, i) => {
            const container = {
              id: cid(o.op === 'isolate' || o.op === 'restore' || o.op === 'notify' ? o.c : 0),
              name: 'c',
            };
            if (o.op === 'isolate') {
              journal.append(
                actionEntry(
                  action({ id: `i${i}`, action: o.kind, container, policy: o.policy ? 'pol' : null }),
                ),
              );
              live.set(o.c, [...(live.get(o.c) ?? []), `i${i}`]);
            } else if (o.op === 'restore') {
              const restored = live.get(o.c) ?? [];
              live.delete(o.c);
              journal.append(
                actionEntry(
                  action({
                    id: `r${i}`,
                    action: 'restore',
                    container,
                    restored,
                    origin: 'restore',
                    policy: null,
                  }),
                ),
              );
            } else if (o.op === 'notify')
              journal.append(actionEntry(action({ id: `n${i}`, action: 'notify', container })));
            else if (o.op === 'arm') journal.append({ type: 'operator', command: o.on ? 'arm' : 'disarm' });
            else if (o.op === 'policy')
              journal.append({
                type: 'operator',
                command: 'set-policy-enabled',
                id: o.id,
                enabled: o.enabled,
              });
            else journal.append({ type: 'engine', event: 'filler', pad: 'x'.repeat(o.size) });
          });
          await journal.close();
          const fromFile = rebuildState((await readJournal(file)).records);
          const fromAll = rebuildState(all.filter((r) => !(r.type === 'engine' && r.event === 'rotated')));
          expect(fromFile).toEqual(fromAll);
          expect(journal.state).toEqual(fromAll);
          expect([...fromAll.isolation.entries()].map(([id, list]) => [id, list.map((a) => a.id)])).toEqual(
            [...live.entries()].filter(([, ids]) => ids.length > 0).map(([c, ids]) => [cid(c), ids]),
          );
          const names = await readdir(path.dirname(file));
          expect(names.filter((n) => /\.\d+$/.test(n)).length).toBeLessThanOrEqual(keep);
          expect(names).not.toContain('j.jsonl.next');
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('kill -9 mid-write', () => {
  it('any truncation reads back as a prefix of what was written, and rebuilds that prefix', async () => {
    const file = path.join(dir, 'j.jsonl');
    const journal = await Journal.open(file);
    const written: JournalRecord[] = [];
    journal.onRecord((r) => written.push(r));
    for (let i = 0; i < 30; i++) {
      const kind = (['pause', 'throttle', 'network-disconnect', 'notify'] as const)[i % 4]!;
      journal.append(
        actionEntry(action({ id: `a${i}`, action: kind, container: { id: cid(i % 5), name: `c${i % 5}` } })),
      );
      if (i % 7 === 6) {
        journal.append(
          actionEntry(action({ id: `r${i}`, action: 'restore', restored: [`a${i - 2}`], origin: 'restore' })),
        );
      }
      journal.append({
        type: 'alert',
        alert: {
          id: `al${i}`,
          time: 't',
          source: 'ndjson',
          rule: 'r',
          severity: 'High',
          message: 'é✓',
          fields: {},
        },
      });
    }
    await journal.close();
    const full = await readFile(file);
    const copy = path.join(dir, 'crashed.jsonl');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: full.length }), async (cut) => {
        await writeFile(copy, full);
        await truncate(copy, cut);
        const { records, skipped } = await readJournal(copy);
        expect(records).toEqual(written.slice(0, records.length));
        // Lines ended by a newline, plus a last line cut exactly before its newline (whole JSON).
        const ended = full.subarray(0, cut).toString('utf8').split('\n').length - 1;
        const wholeLast = cut > 0 && full[cut] === 0x0a && full[cut - 1] !== 0x0a ? 1 : 0;
        const complete = ended + wholeLast;
        expect(records.length).toBe(complete);
        expect(skipped.every((s) => /torn last line/.test(s.reason))).toBe(true);
        expect(rebuildState(records)).toEqual(rebuildState(written.slice(0, complete)));
      }),
      { numRuns: 60 },
    );
  });
});
