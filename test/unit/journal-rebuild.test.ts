import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../source/domain/action-record.js';
import type { JournalRecord } from '../../source/domain/journal-record.js';
import { readJournal } from '../../source/journal/read-journal.js';
import {
  actionEntry,
  defaultJournalPath,
  deserializeState,
  emptyState,
  isIsolatingAction,
  rebuildState,
  serializeState,
} from '../../source/journal/rebuild.js';

const cid = (n: number) => n.toString(16).padStart(64, '0');
let clock = Date.parse('2026-01-01T00:00:00.000Z');

function act(over: Partial<ActionRecord> & Pick<ActionRecord, 'id' | 'action'>): JournalRecord {
  const ts = new Date((clock += 1000)).toISOString();
  const record: ActionRecord = {
    alert: 'a-1',
    policy: 'p',
    container: { id: cid(1), name: 'web-1' },
    engine: 'local',
    result: 'ok',
    attempts: 1,
    latency_ms: 5,
    origin: 'policy',
    ts,
    ...over,
  };
  return { v: 1, ts, ...actionEntry(record) } as JournalRecord;
}
const op = (command: string, extra: Record<string, unknown> = {}) =>
  ({ v: 1, ts: 't', type: 'operator', command, ...extra }) as JournalRecord;
const ids = (list: ActionRecord[] | undefined) => (list ?? []).map((a) => a.id);

describe('rebuildState', () => {
  it('keeps successful isolating actions per container, oldest first, with their undo data', () => {
    const state = rebuildState([
      act({
        id: '1',
        action: 'throttle',
        undo: { limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 0, memory: 0, memorySwap: 0 } },
      }),
      act({ id: '2', action: 'pause' }),
      act({ id: '3', action: 'kill', result: 'failed', error: 'timeout' }),
      act({ id: '4', action: 'notify' }),
      act({ id: '5', action: 'restart' }),
      act({ id: '6', action: 'network-disconnect', container: { id: cid(2), name: 'db' } }),
    ]);
    expect(ids(state.isolation.get(cid(1)))).toEqual(['1', '2']);
    expect(ids(state.isolation.get(cid(2)))).toEqual(['6']);
    expect(state.isolation.get(cid(1))![0]!.undo?.limits?.memory).toBe(0);
    // Back to ActionRecord shape: no v/type, the record's ts.
    expect(state.isolation.get(cid(1))![0]).not.toHaveProperty('type');
    expect(state.isolation.get(cid(1))![0]).not.toHaveProperty('v');
  });

  it('a restore removes exactly the ids it names; a restore naming none clears the container', () => {
    const state = rebuildState([
      act({ id: '1', action: 'throttle' }),
      act({ id: '2', action: 'pause' }),
      act({ id: '3', action: 'stop', container: { id: cid(2), name: 'db' } }),
      act({ id: 'r1', action: 'restore', restored: ['2'], origin: 'restore', policy: null }),
      act({
        id: 'r2',
        action: 'restore',
        restored: ['3'],
        result: 'failed',
        origin: 'restore',
        policy: null,
      }),
    ]);
    expect(ids(state.isolation.get(cid(1)))).toEqual(['1']);
    expect(ids(state.isolation.get(cid(2)))).toEqual(['3']);
    const after = rebuildState([
      act({ id: '1', action: 'quarantine' }),
      act({ id: 'r', action: 'restore', origin: 'restore', policy: null }),
    ]);
    expect(after.isolation.size).toBe(0);
  });

  it('counts successful policy actions (not manual, failed or restore) as history', () => {
    const a = act({ id: '1', action: 'pause', policy: 'fork' });
    const state = rebuildState([
      a,
      act({ id: '2', action: 'notify', policy: 'notify-all' }),
      act({ id: '3', action: 'kill', policy: null, origin: 'manual' }),
      act({ id: '4', action: 'kill', policy: 'fork', result: 'failed' }),
      act({ id: '5', action: 'restore', policy: null, restored: ['1'], origin: 'restore' }),
    ]);
    expect(state.history).toEqual([
      { policy: 'fork', container: cid(1), at: Date.parse(a.ts) },
      { policy: 'notify-all', container: cid(1), at: expect.any(Number) },
    ]);
  });

  it('remembers the last arm/disarm and runtime policy switches', () => {
    expect(rebuildState([]).armed).toBeUndefined();
    const state = rebuildState([
      op('arm'),
      op('set-policy-enabled', { id: 'a', enabled: false }),
      op('set-policy-enabled', { id: 'b', enabled: false }),
      op('disarm'),
      op('set-policy-enabled', { id: 'a', enabled: true }),
      op('veto', { id: 'q1' }),
    ]);
    expect(state.armed).toBe(false);
    expect([...state.disabledPolicies]).toEqual(['b']);
  });

  it('passes over unknown and malformed records', () => {
    const state = rebuildState([
      { v: 2, ts: 't', type: 'future-thing', x: 1 } as unknown as JournalRecord,
      { v: 1, ts: 't', type: 'action' } as unknown as JournalRecord,
      { v: 1, ts: 't', type: 'engine', event: 'rotated', state: 'garbage' } as unknown as JournalRecord,
      act({ id: '1', action: 'pause' }),
    ]);
    expect(ids(state.isolation.get(cid(1)))).toEqual(['1']);
  });

  it('a rotated record replaces everything before it with the state it carries', () => {
    const before = [
      act({ id: '1', action: 'pause' }),
      op('arm'),
      op('set-policy-enabled', { id: 'x', enabled: false }),
    ];
    const carried = serializeState(rebuildState(before), clock);
    const json = JSON.parse(JSON.stringify(carried)) as unknown;
    const state = rebuildState([
      act({ id: 'stale', action: 'stop', container: { id: cid(9), name: 'gone' } }),
      { v: 1, ts: 't', type: 'engine', event: 'rotated', state: json } as JournalRecord,
      act({ id: '2', action: 'throttle' }),
    ]);
    expect(ids(state.isolation.get(cid(1)))).toEqual(['1', '2']);
    expect(state.isolation.has(cid(9))).toBe(false);
    expect(state.armed).toBe(true);
    expect([...state.disabledPolicies]).toEqual(['x']);
    expect(deserializeState(json)).toEqual(rebuildState(before));
  });

  it('carries recent history and the newest 16 per (policy, container) across a rotation', () => {
    const now = Date.parse('2026-06-01T00:00:00Z');
    const day = 24 * 3600 * 1000;
    const history = [
      ...Array.from({ length: 20 }, (_, i) => ({ policy: 'old', container: 'c', at: now - 10 * day + i })),
      { policy: 'once', container: 'c', at: now - 30 * day },
      ...Array.from({ length: 40 }, (_, i) => ({ policy: 'busy', container: 'c', at: now - 1000 + i })),
    ];
    const kept = serializeState({ ...emptyState(), history }, now).history;
    expect(kept.filter((h) => h.policy === 'old').map((h) => h.at)).toEqual(
      history.slice(4, 20).map((h) => h.at),
    );
    expect(kept.filter((h) => h.policy === 'once')).toHaveLength(1);
    expect(kept.filter((h) => h.policy === 'busy')).toHaveLength(40);
    // In journal order.
    expect(kept).toEqual(history.filter((h) => kept.includes(h)));
  });

  it('treats every action kind but notify, restart and restore as isolating', () => {
    expect(
      ['pause', 'stop', 'kill', 'network-disconnect', 'quarantine', 'throttle'].every((a) =>
        isIsolatingAction(a as never),
      ),
    ).toBe(true);
    expect(['notify', 'restart', 'restore'].some((a) => isIsolatingAction(a as never))).toBe(false);
  });
});

describe('readJournal', () => {
  it('keeps unknown types and newer fields as they are, reports bad lines with their number', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'brig-read-'));
    try {
      const file = path.join(dir, 'j.jsonl');
      await writeFile(
        file,
        [
          JSON.stringify({ v: 1, ts: 't', type: 'engine', event: 'started', extra: { a: 1 } }),
          JSON.stringify({ v: 1, ts: 't', type: 'operator', command: 'arm', by: 'tui' }),
          '',
          JSON.stringify({ v: 2, ts: 't', type: 'teleport', to: 'mars' }),
          JSON.stringify({ v: 1, ts: 't', type: 'decision', alert: 'a' }),
          '[1,2]',
          JSON.stringify({ v: 1, ts: 't' }),
          '{nope',
          JSON.stringify({
            v: 1,
            ts: 't',
            type: 'rejected',
            source: 'http',
            reason: 'bad',
            raw: '{',
            newField: true,
          }),
        ].join('\n') + '\n',
      );
      const { records, skipped } = await readJournal(file);
      expect(records).toEqual([
        { v: 1, ts: 't', type: 'engine', event: 'started', extra: { a: 1 } },
        { v: 1, ts: 't', type: 'operator', command: 'arm', by: 'tui' },
        { v: 2, ts: 't', type: 'teleport', to: 'mars' },
        { v: 1, ts: 't', type: 'rejected', source: 'http', reason: 'bad', raw: '{', newField: true },
      ]);
      expect(skipped.map((s) => s.line)).toEqual([5, 6, 7, 8]);
      expect(skipped[0]!.reason).toMatch(/^invalid decision record: /);
      expect(skipped[1]!.reason).toBe('not a JSON object');
      expect(skipped[2]!.reason).toBe('record has no "type"');
      expect(skipped[3]!.reason).toMatch(/^not JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads a missing file as empty', async () => {
    expect(await readJournal(path.join(os.tmpdir(), 'brig-no-such-dir', 'j.jsonl'))).toEqual({
      records: [],
      skipped: [],
    });
  });
});

describe('defaultJournalPath', () => {
  it('uses XDG_STATE_HOME when absolute, else ~/.local/state', () => {
    expect(defaultJournalPath({ XDG_STATE_HOME: '/var/st', HOME: '/home/u' })).toBe(
      '/var/st/brig/journal.jsonl',
    );
    expect(defaultJournalPath({ XDG_STATE_HOME: 'rel', HOME: '/home/u' })).toBe(
      '/home/u/.local/state/brig/journal.jsonl',
    );
    expect(defaultJournalPath({ HOME: '/home/u' })).toBe('/home/u/.local/state/brig/journal.jsonl');
  });
});
