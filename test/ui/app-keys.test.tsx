import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  FakeEngine,
  actionRecord,
  alert,
  alertView,
  container,
  emptySnapshot,
  policy,
  queueItem,
} from '../helpers/fake-engine.js';
import { keys, renderTui } from './render-tui.js';

afterEach(() => cleanup());

const web = container('web-1', {
  state: 'paused',
  isolation: { actions: [actionRecord(container('web-1'))], labels: ['PAUSED'] },
});
const api = container('api-2');
const db = container('db-3');

function engine(overrides = {}) {
  return new FakeEngine(
    emptySnapshot({
      containers: [web, api, db],
      alerts: [alertView(alert('a1'), web)],
      policies: [policy('fork-storm-pause'), policy('shell-notify', { priority: 20, action: 'notify' })],
      actions: [actionRecord(web)],
      ...overrides,
    }),
  );
}

const big = { columns: 120, rows: 40 };

describe('focus and movement', () => {
  it('Tab, Shift-Tab and 1–4 focus panes', async () => {
    const t = await renderTui(engine(), big);
    expect(t.frame()).toContain('▶1 Containers');
    await t.press(keys.tab);
    expect(t.frame()).toContain('▶2 Alerts');
    await t.press(keys.shiftTab, keys.shiftTab);
    expect(t.frame()).toContain('▶4 Actions');
    await t.press('3');
    expect(t.frame()).toContain('▶3 Policies');
    await t.press('1');
    expect(t.frame()).toContain('▶1 Containers');
  });

  it('j/k, arrows, g/G and PgDn/PgUp move the selection, and the list is windowed to the pane', async () => {
    const many = Array.from({ length: 40 }, (_, i) => container(`c-${String(i).padStart(2, '0')}`));
    const t = await renderTui(new FakeEngine(emptySnapshot({ containers: many })), { columns: 80, rows: 20 });
    expect(t.frame()).toContain('›c-00');
    await t.press('j', keys.down);
    expect(t.frame()).toContain('›c-02');
    await t.press('k');
    expect(t.frame()).toContain('›c-01');
    await t.press('G');
    expect(t.frame()).toContain('›c-39');
    expect(t.frame()).not.toContain('c-00');
    await t.press('g');
    expect(t.frame()).toContain('›c-00');
    await t.press(keys.pageDown);
    // Compact 80×20: body 17 rows, 14 list rows per page.
    expect(t.frame()).toContain('›c-14');
    await t.press(keys.pageUp);
    expect(t.frame()).toContain('›c-00');
    expect(t.frame().split('\n').length).toBeLessThanOrEqual(20);
  });
});

describe('details (Enter)', () => {
  it('shows a container: networks, limits, isolation record, sparklines', async () => {
    const t = await renderTui(engine(), big);
    await t.press('G', keys.enter);
    const frame = t.frame();
    expect(frame).toContain('Details: Containers');
    expect(frame).toContain('web-1');
    expect(frame).toContain('networks (bridge)');
    expect(frame).toContain('pids 200');
    expect(frame).toContain('isolation record: PAUSED');
    expect(frame).toContain('→ unpause');
    expect(frame).toMatch(/CPU .*[▁▂▃▄▅▆▇█]/);
    await t.press(keys.escape);
    expect(t.frame()).toContain('▶1 Containers');
  });

  it('shows an alert: raw fields and the decision trace', async () => {
    const t = await renderTui(engine(), big);
    await t.press('2', keys.enter);
    const frame = t.frame();
    expect(frame).toContain('decision trace');
    expect(frame).toContain('DECIDED  fork-storm-pause — rule fork_storm* matched');
    expect(frame).toContain('proc.name: sh');
  });
});

describe('filter (/)', () => {
  it('filters the focused pane and Esc clears', async () => {
    const t = await renderTui(engine(), big);
    await t.press('/', 'd', 'b');
    expect(t.frame()).toContain('filter: db');
    await t.press(keys.enter);
    expect(t.frame()).toContain('db-3');
    expect(t.frame()).not.toContain('api-2');
    await t.press(keys.escape);
    expect(t.frame()).toContain('api-2');
  });
});

describe('keys arriving together (paste, SSH, tmux)', () => {
  it('replays a run of characters one key at a time', async () => {
    const t = await renderTui(engine(), big);
    await t.press('/db\r');
    await vi.waitFor(() => expect(t.frame()).toContain('/db 1/1 of 3'), { timeout: 3000 });
    expect(t.frame()).toContain('db-3');
    expect(t.frame()).not.toContain('api-2');
    expect(t.frame()).toContain('/db 1/1 of 3');
  });

  it('a run that arms still stops at the confirm, and only y confirms', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('a\r');
    await t.press();
    expect(e.commands).toEqual([]);
  });
});

describe('arming (a) and dry-run (d)', () => {
  it('arming asks, and the default (Enter) is No', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('a');
    expect(t.frame()).toContain('Arm auto-isolate?');
    await t.press(keys.enter);
    expect(e.commands).toEqual([]);
    expect(t.frame()).toContain('DISARMED');
    await t.press('a', 'n');
    expect(e.commands).toEqual([]);
    await t.press('a', 'y');
    expect(e.commands).toEqual([{ type: 'arm' }]);
    expect(t.frame()).toContain('● ARMED');
  });

  it('disarming is instant', async () => {
    const e = engine({ armed: true });
    const t = await renderTui(e, big);
    await t.press('a');
    expect(e.commands).toEqual([{ type: 'disarm' }]);
    expect(t.frame()).toContain('DISARMED');
  });

  it('d toggles global dry-run', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('d');
    expect(e.commands).toEqual([{ type: 'set-dry-run', on: true }]);
    expect(t.frame()).toContain('dry-run:ON');
  });
});

describe('the queue stepper (n)', () => {
  const a1 = alert('a1');
  const a2 = alert('a2', { rule: 'shell_in_container' });
  it('steps one proposal at a time: y approves, s skips, Esc closes', async () => {
    const e = engine({ queue: [queueItem('q1', a1, web), queueItem('q2', a2, api)] });
    const t = await renderTui(e, big);
    await t.press('n');
    expect(t.frame()).toContain('Queue 1/2');
    expect(t.frame()).toContain('waiting for approval');
    expect(t.frame()).toContain('target:  web-1');
    await t.press('y');
    expect(e.commands).toEqual([{ type: 'approve', id: 'q1' }]);
    e.update({ queue: [queueItem('q2', a2, api)] });
    await t.press();
    expect(t.frame()).toContain('Queue 1/1');
    expect(t.frame()).toContain('shell_in_container');
    await t.press('s');
    expect(e.commands.at(-1)).toEqual({ type: 'skip', id: 'q2' });
    await t.press(keys.escape);
    expect(t.frame()).toContain('▶1 Containers');
  });

  it('grace countdowns tick visibly and c vetoes', async () => {
    const deadline = Date.now() + 30_000;
    const e = engine({ queue: [queueItem('g1', a1, web, { kind: 'grace', deadline })] });
    const t = await renderTui(e, big);
    await t.press('n');
    const first = /executes in (\d+)s/.exec(t.frame())?.[1];
    expect(first).toBeDefined();
    await new Promise((r) => setTimeout(r, 2100));
    const later = /executes in (\d+)s/.exec(t.frame())?.[1];
    expect(Number(later)).toBeLessThan(Number(first));
    await t.press('c');
    expect(e.commands).toEqual([{ type: 'veto', id: 'g1' }]);
  });

  it('c vetoes the selected grace countdown from the alerts pane', async () => {
    const e = engine({ queue: [queueItem('g1', a1, web, { kind: 'grace', deadline: Date.now() + 30_000 })] });
    const t = await renderTui(e, big);
    await t.press('2', 'c');
    expect(e.commands).toEqual([{ type: 'veto', id: 'g1' }]);
  });

  it('an empty queue says so', async () => {
    const t = await renderTui(engine(), big);
    await t.press('n');
    expect(t.frame()).toContain('the queue is empty');
  });
});

describe('restore (u) and manual actions (p s x i)', () => {
  it('u shows what will be undone, then confirms; default No', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('G', 'u');
    expect(t.frame()).toContain('Restore web-1?');
    expect(t.frame()).toContain('pause at');
    expect(t.frame()).toContain('→ unpause');
    await t.press(keys.enter);
    expect(e.commands).toEqual([]);
    await t.press('u', 'y');
    expect(e.commands).toEqual([{ type: 'restore', container: web.id }]);
  });

  it('u on a container Brig never touched says there is nothing to undo', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('u');
    expect(t.frame()).toContain('api-2: Brig has recorded nothing to undo');
    expect(e.commands).toEqual([]);
  });

  it.each([
    ['p', 'Pause', { kind: 'pause' }],
    ['s', 'Stop', { kind: 'stop', timeoutSecs: 10 }],
    ['x', 'Kill', { kind: 'kill', signal: 'SIGKILL' }],
    ['i', 'Network-isolate', { kind: 'network-disconnect', networks: [] }],
  ])('%s asks (default No), then sends the manual action', async (key, verb, action) => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press(key);
    expect(t.frame()).toContain(`${verb}`);
    expect(t.frame()).toContain('api-2?');
    await t.press(keys.enter);
    await t.press(key, 'q');
    expect(e.commands).toEqual([]);
    await t.press(key, 'y');
    expect(e.commands).toEqual([{ type: 'manual', container: api.id, action }]);
    expect(t.frame()).toContain('✓ manual done');
  });

  it('shows a failed command result on the status line', async () => {
    const e = engine();
    e.reply = () => ({ ok: false, message: 'pause api-2: engine unreachable' });
    const t = await renderTui(e, big);
    await t.press('p', 'y');
    expect(t.frame()).toContain('failed: pause api-2: engine unreachable');
  });
});

describe('policies (r, e), zoom (z), help (?)', () => {
  it('r reloads policies', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('r');
    expect(e.commands).toEqual([{ type: 'reload-policies' }]);
  });

  it('e toggles the selected policy', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('3', 'e');
    expect(e.commands).toEqual([{ type: 'set-policy-enabled', id: 'fork-storm-pause', enabled: false }]);
  });

  it('z zooms the focused pane and z again restores the four panes', async () => {
    const t = await renderTui(engine(), big);
    await t.press('2', 'z');
    expect(t.frame()).toContain('▶2 Alerts');
    expect(t.frame()).not.toContain('1 Containers');
    await t.press('z');
    expect(t.frame()).toContain('1 Containers');
  });

  it('? shows the help generated from the keymap', async () => {
    const t = await renderTui(engine(), big);
    await t.press('?');
    expect(t.frame()).toContain('Help');
    expect(t.frame()).toContain('disarm at once; arming asks to confirm (default No)');
    await t.press(keys.escape);
    expect(t.frame()).toContain('▶1 Containers');
  });
});

describe('quit (q, Ctrl-C)', () => {
  it('q quits at once when nothing is in flight', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    expect(e.listenerCount).toBe(1);
    await t.press('q');
    expect(e.listenerCount).toBe(0);
  });

  // Esc then q in one read (a loaded host, SSH, tmux send-keys Escape; send-keys q) reaches Ink as
  // "\x1bq", which it parses as Alt-q: Brig binds no Alt keys, so it is Esc, then q.
  it('Esc and q in one read close the overlay, then quit', async () => {
    const e = engine();
    const t = await renderTui(e, big);
    await t.press('?');
    expect(t.frame()).toContain('Keys');
    await t.press(`${keys.escape}q`);
    expect(e.listenerCount).toBe(0);
  });

  it('Ctrl-C asks when actions are in flight; the default is to stay', async () => {
    const e = engine({ inFlight: 2 });
    const t = await renderTui(e, big);
    await t.press(keys.ctrlC);
    expect(t.frame()).toContain('Quit with 2 action(s) in flight?');
    await t.press(keys.enter);
    expect(e.listenerCount).toBe(1);
    await t.press('q', 'y');
    expect(e.listenerCount).toBe(0);
  });
});

describe('--read-only', () => {
  it('hides acting keys and refuses them', async () => {
    const e = engine({ queue: [queueItem('q1', alert('a1'), web)] });
    const t = await renderTui(e, { ...big, readOnly: true });
    expect(t.frame()).toContain('(read-only)');
    expect(t.frame()).not.toContain('a arm');
    for (const key of ['a', 'd', 'n', 'c', 'u', 'p', 's', 'x', 'i', 'r', 'e']) await t.press(key);
    expect(e.commands).toEqual([]);
    expect(t.frame()).toContain('read-only');
    await t.press('?');
    expect(t.frame()).not.toContain('pause the selected container');
    expect(t.frame()).toContain('acting keys are hidden and refused');
  });
});
