import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { cellWidth } from '../../source/ui/format.js';
import {
  FakeEngine,
  actionRecord,
  alert,
  alertView,
  container,
  emptySnapshot,
} from '../helpers/fake-engine.js';
import { keys, renderTui } from './render-tui.js';

afterEach(() => cleanup());

const web = container('web-1');

/** Every row as tall and wide as the terminal allows, the box's top and bottom edges drawn whole. */
function expectWholeFrame(frame: string, columns: number, rows: number): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(rows);
  for (const line of lines) expect(cellWidth(line)).toBeLessThanOrEqual(columns);
  const top = lines.find((l) => l.startsWith('┏'))!;
  expect(top).toMatch(/^┏━ Inspect: web-1.*━┓$/);
  expect(cellWidth(top)).toBe(columns);
  expect(lines.some((l) => /^┗━+┛$/.test(l) && cellWidth(l) === columns)).toBe(true);
}

describe('Inspect overlay (I on a container)', () => {
  it('asks the engine for the selected container and shows its JSON, State open and the rest folded', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    expect(engine.inspected).toEqual([web.id]);
    const frame = t.frame();
    expectWholeFrame(frame, 120, 40);
    expect(frame).toContain('"State": {');
    expect(frame).toContain('"Status": "running",');
    expect(frame).toContain('"Config": {…} 4 keys,');
    expect(frame).toContain('"Args": […] 2 items,');
    // The cursor starts on the first line; its path and the keys are on the hint line.
    expect(frame).toMatch(/›\{/);
    expect(frame).toContain('.  1/');
    expect(frame).toContain('Esc close');
    // The title says when the engine answered: this is that moment's document, not a live one.
    expect(frame.split('\n').find((l) => l.startsWith('┏'))).toMatch(
      /Inspect: web-1 on unix:\/\/\/tmp\/fake\.sock at \d\d:\d\d:\d\d /,
    );
  });

  it('Enter on a folded node opens it, Space folds it again; - folds all, + unfolds all', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    // Down to Config: {, Id, Created, Path, Args, State{ 7 lines }, Image, Name, RestartCount, HostConfig, Config.
    for (let i = 0; i < 20 && !/›\s*"Config"/.test(t.frame()); i++) await t.press('j');
    expect(t.frame()).toMatch(/›\s*"Config": \{…\} 4 keys/);
    expect(t.frame()).toContain('.Config  ');
    await t.press(keys.enter);
    expect(t.frame()).toMatch(/›\s*"Config": \{\s*┃/);
    expect(t.frame()).toContain('"Env": [');
    expect(t.frame()).toContain('"MODE=test"');
    expect(t.frame()).toContain('"Cmd": [');
    await t.press(' ');
    expect(t.frame()).toMatch(/›\s*"Config": \{…\} 4 keys/);
    await t.press('-');
    expect(t.frame()).toContain('"State": {…}');
    expect(t.frame()).toMatch(/›\s*"Config": \{…\}/);
    await t.press('+');
    expect(t.frame()).toContain('"MODE=test"');
    expect(t.frame()).toContain('"NetworkMode": "bridge"');
  });

  it('scrolls a document longer than the screen at 70×20 and keeps every frame whole', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 70, rows: 20 });
    await t.press('I', '+');
    expectWholeFrame(t.frame(), 70, 20);
    expect(t.frame()).toContain('"Id": ');
    expect(t.frame()).not.toContain('"NetworkSettings"');
    await t.press('G');
    expectWholeFrame(t.frame(), 70, 20);
    expect(t.frame()).toContain('"NetworkSettings": {');
    expect(t.frame()).not.toContain('"Id": ');
    await t.press('g');
    expect(t.frame()).toContain('"Id": ');
    await t.press(keys.pageDown);
    expectWholeFrame(t.frame(), 70, 20);
    expect(t.frame()).not.toMatch(/›\{/);
  });

  it('a line too long for the box is cut, but shown whole while the cursor is on it', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 70, rows: 20 });
    await t.press('I');
    const sha = 'a'.repeat(64);
    expect(t.frame()).toContain('"Image": "sha256:aaaa');
    expect(t.frame().replace(/[┃\s\n]/g, '')).not.toContain(sha);
    for (let i = 0; i < 20 && !/›\s*"Image"/.test(t.frame()); i++) await t.press('j');
    expectWholeFrame(t.frame(), 70, 20);
    expect(t.frame().replace(/┃\n┃/g, '').replace(/\s/g, '')).toContain(`"Image":"sha256:${sha}",`);
  });

  it('below the minimum size the app says so, and the view is back when the terminal grows', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    await t.resize(40, 12);
    const small = t.frame().split('\n');
    expect(small.join(' ')).toContain('terminal too small');
    for (const line of small) expect(cellWidth(line)).toBeLessThanOrEqual(40);
    await t.resize(120, 40);
    expectWholeFrame(t.frame(), 120, 40);
  });

  it('/ finds a value inside a folded section and opens it; n steps on', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I', '/');
    expect(t.frame()).toContain('find: ▏');
    // Case-insensitive over names and values: "mode" alone would find NetworkMode first.
    await t.press('m', 'o', 'd', 'e', '=', keys.enter);
    expect(t.frame()).toMatch(/›\s*"MODE=test"/);
    expect(t.frame()).toContain('match 1/1 for /mode=');
    await t.press('/', 's', 'l', 'e', 'e', 'p', keys.enter);
    // From the cursor on: Config.Cmd comes after Config.Env; n wraps round to Args.
    expect(t.frame()).toMatch(/›\s*"sleep 3600"/);
    expect(t.frame()).toContain('match 2/2 for /sleep');
    await t.press('n');
    expect(t.frame()).toContain('match 1/2 for /sleep');
    expect(t.frame()).toContain('.Args[1]');
  });

  it('Esc and q close it; the panes are back', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    expect(t.frame()).toContain('Inspect: web-1');
    await t.press(keys.escape);
    expect(t.frame()).not.toContain('Inspect: web-1');
    expect(t.frame()).toContain('▶1 Containers');
    await t.press('I');
    expect(t.frame()).toContain('Inspect: web-1');
    await t.press('q');
    expect(t.frame()).not.toContain('Inspect: web-1');
    // q closed the view; it did not quit the app.
    expect(t.frame()).toContain('▶1 Containers');
    expect(engine.inspected).toHaveLength(2);
  });

  it('shows loading, an engine error and a broken handle as text', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [web] }));
    engine.inspectReply = () => new Promise(() => undefined);
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    expect(t.frame()).toContain('asking the engine for web-1…');
    await t.press(keys.escape);
    engine.inspectReply = async () => ({ ok: false, message: 'web-1: inspect failed: engine unreachable' });
    await t.press('I');
    expect(t.frame()).toContain('no inspect document: web-1: inspect failed: engine unreachable');
    await t.press('j', keys.enter);
    expect(t.frame()).toContain('Inspect: web-1');
    await t.press(keys.escape);
    engine.inspectReply = () => Promise.reject(new Error('handle broke'));
    await t.press('I');
    expect(t.frame()).toContain('no inspect document: inspect: handle broke');
  });

  it('says what to select when no container is selected', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press('I');
    expect(t.frame()).toContain('select a container first');
    expect(engine.inspected).toEqual([]);
  });
});

describe('Timeline in container details (Enter on a container)', () => {
  it('lists Docker events, the alert, its decision and outcome, and the action, newest first', async () => {
    const target = container('web-1', {
      events: [
        { time: '2026-11-22T14:00:01.000Z', action: 'start' },
        { time: '2026-11-22T14:02:10.000Z', action: 'pause' },
        { time: '2026-11-22T14:06:00.000Z', action: 'die', detail: 'exit code 137' },
      ],
    });
    const view = {
      ...alertView(alert('a1', { time: '2026-11-22T14:02:09.000Z' }), target),
      outcomes: [{ state: 'executed' as const, by: 'operator' as const, at: '2026-11-22T14:02:10.000Z' }],
    };
    const engine = new FakeEngine(
      emptySnapshot({
        containers: [target],
        alerts: [view],
        actions: [actionRecord(target, { ts: '2026-11-22T14:02:10.500Z', origin: 'approved' })],
      }),
    );
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press(keys.enter);
    const lines = t.frame().split('\n');
    const start = lines.findIndex((l) => l.includes('timeline (newest first'));
    expect(start).toBeGreaterThan(0);
    const body = lines.slice(start + 1, start + 8).map((l) => l.replace(/^┃\s*/, '').replace(/\s*┃$/, ''));
    const kinds = body.map((l) => l.split(/\s+/)[1]);
    expect(kinds).toEqual(['docker', 'action', 'executed', 'docker', 'decision', 'alert', 'docker']);
    expect(body[0]).toContain('die (exit code 137)');
    expect(body[2]).toContain('pause · policy fork-storm-pause by the operator');
    expect(body[5]).toContain('HIGH fork_storm from falco');
  });

  it('says when there is nothing yet', async () => {
    const engine = new FakeEngine(emptySnapshot({ containers: [container('quiet')] }));
    const t = await renderTui(engine, { columns: 120, rows: 40 });
    await t.press(keys.enter);
    expect(t.frame()).toContain('timeline (newest first');
    expect(t.frame()).toContain('nothing yet');
  });
});
