import { describe, expect, it } from 'vitest';
import type { ActionRecord } from '../../source/domain/action-record.js';
import type { JournalRecord } from '../../source/domain/journal-record.js';
import { AlertMemory, restoreOnResolve } from '../../source/enforce/alert-memory.js';
import {
  actionEntry,
  applyRecord,
  deserializeState,
  emptyState,
  rebuildState,
  serializeState,
} from '../../source/journal/rebuild.js';

const cid = (n: number) => n.toString(16).padStart(64, '0');
const t0 = Date.parse('2026-12-01T00:00:00.000Z');
const at = (s: number) => new Date(t0 + s * 1000).toISOString();
const am = 'b7d1e0c3a9f24e51@2026-11-20T09:30:00.000Z';

function action(over: Partial<ActionRecord> & Pick<ActionRecord, 'id' | 'action'>, s: number): JournalRecord {
  const record: ActionRecord = {
    alert: am,
    policy: 'pause-it',
    container: { id: cid(1), name: 'web-1' },
    engine: 'local',
    result: 'ok',
    attempts: 1,
    latency_ms: 5,
    origin: 'policy',
    ts: at(s),
    ...over,
  };
  return { v: 1, ts: at(s), ...actionEntry(record) } as JournalRecord;
}
const rec = (s: number, fields: Record<string, unknown>) => ({ v: 1, ts: at(s), ...fields }) as JournalRecord;
const day = 24 * 3600 * 1000;

describe('operator intent rebuilt from the journal', () => {
  it('a restore answers the alerts whose actions it undid; a resolved record forgets the answer', () => {
    const records = [
      action({ id: 'x1', action: 'pause' }, 1),
      action({ id: 'x2', action: 'throttle', alert: 'other' }, 2),
      action(
        { id: 'r1', action: 'restore', policy: null, alert: null, origin: 'restore', restored: ['x1'] },
        3,
      ),
    ];
    const state = rebuildState(records);
    expect(state.answered.lookup(am, t0 + 10_000)).toEqual({ answer: 'restored', at: t0 + 3000 });
    expect(state.answered.lookup('other', t0 + 10_000)).toBeUndefined();
    // Brig restarted: the same records, the same answer.
    expect(rebuildState(records).answered.lookup(am, t0 + 3600_000)?.answer).toBe('restored');
    applyRecord(state, rec(4, { type: 'resolved', source: 'alertmanager', alert: am }));
    expect(state.answered.lookup(am, t0 + 10_000)).toBeUndefined();
  });

  it('a restore that names nothing answers every alert on that container', () => {
    const state = rebuildState([
      action({ id: 'x1', action: 'pause', alert: 'a' }, 1),
      action({ id: 'x2', action: 'network-disconnect', alert: 'b' }, 2),
      action({ id: 'x3', action: 'pause', alert: 'c', container: { id: cid(2), name: 'db' } }, 3),
      action({ id: 'r', action: 'restore', alert: null, policy: null, origin: 'restore' }, 4),
    ]);
    expect(['a', 'b', 'c'].map((id) => state.answered.lookup(id, t0)?.answer)).toEqual([
      'restored',
      'restored',
      undefined,
    ]);
  });

  it('skip and veto answer the alert their queued decision came from; a failed one answers nothing', () => {
    const decision = (id: string, alert: string, s: number) =>
      rec(s, {
        type: 'decision',
        alert,
        policy: 'p',
        container: null,
        action: 'pause',
        verdict: 'disarmed',
        reason: 'r',
        decision_id: id,
      });
    const state = rebuildState([
      decision('q1', 'alert-1', 1),
      decision('q2', 'alert-2', 2),
      decision('q3', 'alert-3', 3),
      rec(4, { type: 'operator', command: 'skip', id: 'q1', ok: true }),
      rec(5, { type: 'operator', command: 'veto', id: 'q2', ok: true }),
      rec(6, { type: 'operator', command: 'veto', id: 'q3', ok: false }),
      rec(7, { type: 'operator', command: 'veto', alert: 'alert-4', ok: true }),
    ]);
    const answers = ['alert-1', 'alert-2', 'alert-3', 'alert-4'].map(
      (a) => state.answered.lookup(a, t0 + 8000)?.answer,
    );
    expect(answers).toEqual(['skipped', 'vetoed', undefined, 'vetoed']);
  });

  it('an answer lasts the window, then the alert may act again', () => {
    const state = rebuildState([
      action({ id: 'x1', action: 'pause' }, 0),
      action(
        { id: 'r', action: 'restore', alert: null, policy: null, origin: 'restore', restored: ['x1'] },
        0,
      ),
    ]);
    expect(state.answered.lookup(am, t0 + day - 1)).toBeDefined();
    expect(state.answered.lookup(am, t0 + day + 1)).toBeUndefined();
    expect(state.answered.lookup(am, t0 + 10 * day, 30 * day)).toBeDefined();
  });

  it('survives a rotation: the answers within the window are carried in the state record', () => {
    const state = rebuildState([
      action({ id: 'x1', action: 'pause' }, 1),
      action(
        { id: 'r', action: 'restore', alert: null, policy: null, origin: 'restore', restored: ['x1'] },
        2,
      ),
    ]);
    const carried = deserializeState(JSON.parse(JSON.stringify(serializeState(state, t0 + 5000))));
    expect(carried?.answered.lookup(am, t0 + 5000)?.answer).toBe('restored');
    // A rotated journal from before this field existed still reads.
    expect(deserializeState({ isolation: {}, history: [], disabledPolicies: [] })?.answered.size).toBe(0);
    expect(
      AlertMemory.deserialize({ answered: [['x', { answer: 'nonsense', at: 1 }], 7], queued: 'no' }).size,
    ).toBe(0);
  });
});

describe('AlertMemory is bounded in bytes', () => {
  it('keeps under maxBytes whatever is answered, the oldest going first', () => {
    const memory = new AlertMemory(64 * 1024);
    for (let i = 0; i < 20_000; i++) {
      memory.trackQueued(`q${i}`, `alert-${i}`);
      memory.answer(`alert-${i}-${'x'.repeat(i % 500)}`, 'restored', t0 + i);
      expect(memory.bytes).toBeLessThanOrEqual(64 * 1024);
    }
    expect(memory.size).toBeGreaterThan(50);
    expect(memory.lookup(`alert-19999-${'x'.repeat(19999 % 500)}`, t0 + 20_000)).toBeDefined();
    expect(memory.lookup(`alert-0-`, t0 + 20_000)).toBeUndefined();
    // A 1 MB identity costs nothing: it is not kept.
    memory.answer('y'.repeat(1024 * 1024), 'vetoed', t0);
    expect(memory.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('answering, forgetting and re-answering keeps the byte count exact', () => {
    const memory = new AlertMemory();
    for (let i = 0; i < 100; i++) memory.answer(`a${i}`, 'skipped', t0);
    for (let i = 0; i < 100; i++) memory.answer(`a${i}`, 'vetoed', t0);
    for (let i = 0; i < 100; i++) memory.forget(`a${i}`);
    expect(memory.bytes).toBe(0);
    memory.trackQueued('q', 'a');
    memory.answerQueued('q', 'skipped', t0);
    memory.forget('a');
    expect(memory.bytes).toBe(0);
  });
});

describe('restoreOnResolve', () => {
  it('names the containers an opted-in policy isolated for this alert', () => {
    const state = emptyState();
    applyRecord(state, action({ id: '1', action: 'pause', policy: 'opt-in' }, 1));
    applyRecord(
      state,
      action({ id: '2', action: 'pause', policy: 'not', container: { id: cid(2), name: 'b' } }, 2),
    );
    applyRecord(
      state,
      action(
        { id: '3', action: 'pause', policy: 'opt-in', alert: 'other', container: { id: cid(3), name: 'c' } },
        3,
      ),
    );
    expect(restoreOnResolve(state.isolation, am, (p) => p === 'opt-in')).toEqual([cid(1)]);
  });
});
