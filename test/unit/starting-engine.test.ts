import { describe, expect, it } from 'vitest';
import { StartingEngine } from '../../source/commands/starting-engine.js';
import type { EngineCommand, EngineHandle, EngineSnapshot } from '../../source/domain/snapshot.js';

function fakeEngine(initial: Partial<EngineSnapshot> = {}) {
  let snapshot = { armed: true, containers: [], ...initial } as unknown as EngineSnapshot;
  const listeners = new Set<() => void>();
  const sent: EngineCommand[] = [];
  const handle: EngineHandle = {
    getSnapshot: () => snapshot,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    send: async (c) => (sent.push(c), { ok: true, message: 'done' }),
    inspectContainer: async (c) => ({ ok: true, engine: 'unix:///a.sock', inspect: { Id: c } }),
    followLogs: () => () => undefined,
  };
  return {
    handle,
    sent,
    publish(next: Partial<EngineSnapshot>) {
      snapshot = { ...snapshot, ...next };
      listeners.forEach((l) => l());
    },
  };
}

describe('StartingEngine: the TUI before the engine is up', () => {
  it('shows a placeholder with every engine connecting, and refuses commands until attached', async () => {
    const starting = new StartingEngine(['unix:///a.sock', 'tcp://b:2376'], false, true);
    const s = starting.getSnapshot();
    expect(s.engines).toEqual([
      { host: 'unix:///a.sock', up: false, error: 'connecting…' },
      { host: 'tcp://b:2376', up: false, error: 'connecting…' },
    ]);
    expect(s).toMatchObject({
      armed: false,
      dryRun: true,
      containers: [],
    });
    // The header says engines 0/2; the footer keeps its key hints (no notice covers them).
    expect(s.notice).toBeUndefined();
    expect(starting.getSnapshot()).toBe(s);
    expect(await starting.send({ type: 'arm' })).toMatchObject({
      ok: false,
      message: expect.stringMatching(/still starting/),
    });
    expect(await starting.inspectContainer('web-1')).toEqual({
      ok: false,
      message: 'Brig is still starting: try again in a moment',
    });
  });

  it('turns startup warnings into the notice, and keeps it once the engine is attached', () => {
    const starting = new StartingEngine(['unix:///a.sock'], false, false);
    let changes = 0;
    starting.subscribe(() => (changes += 1));
    starting.warn('brig: no policy directory (/x): every alert will be decided no-match.');
    expect(starting.getSnapshot().notice).toBe(
      'no policy directory (/x): every alert will be decided no-match.',
    );
    const engine = fakeEngine();
    starting.attach(engine.handle);
    const first = starting.getSnapshot();
    expect(first).toMatchObject({
      armed: true,
      notice: 'no policy directory (/x): every alert will be decided no-match.',
    });
    // The same engine snapshot gives the same object: views compare by identity.
    expect(starting.getSnapshot()).toBe(first);
    engine.publish({ armed: false });
    expect(starting.getSnapshot()).not.toBe(first);
    expect(starting.getSnapshot().armed).toBe(false);
    expect(changes).toBe(3);
  });

  it('passes the engine snapshot through untouched when there is nothing to add, and forwards commands', async () => {
    const starting = new StartingEngine(['unix:///a.sock'], false, false);
    const engine = fakeEngine();
    starting.attach(engine.handle);
    expect(starting.getSnapshot()).toBe(engine.handle.getSnapshot());
    await starting.send({ type: 'disarm' });
    expect(engine.sent).toEqual([{ type: 'disarm' }]);
    expect(await starting.inspectContainer('web-1')).toEqual({
      ok: true,
      engine: 'unix:///a.sock',
      inspect: { Id: 'web-1' },
    });
  });
});
