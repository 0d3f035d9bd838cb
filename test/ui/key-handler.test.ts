import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../source/domain/snapshot.js';
import { handleKey } from '../../source/ui/key-handler.js';
import type { KeyStep, KeyView } from '../../source/ui/key-step.js';
import {
  applyKeyOverrides,
  defaultKeymap,
  keyNameOf,
  splitKeys,
  type KeyBinding,
} from '../../source/ui/keymap.js';
import { layoutFor } from '../../source/ui/layout.js';
import { filterItems, paneItems } from '../../source/ui/pane-items.js';
import { initialUiState, uiReducer, type UiState } from '../../source/ui/ui-state.js';
import { alert, container, emptySnapshot, queueItem } from '../helpers/fake-engine.js';

// The keys as pure functions: a state, a snapshot, a key → state changes and effects. No screen.

function viewOf(
  state: UiState,
  snapshot: EngineSnapshot,
  options: { keymap?: readonly KeyBinding[]; readOnly?: boolean; size?: [number, number] } = {},
): KeyView {
  const [columns, rows] = options.size ?? [120, 40];
  return {
    state,
    snapshot,
    items: filterItems(paneItems(snapshot, state.sortBy, state.localOutcomes), state.filters),
    keymap: options.keymap ?? defaultKeymap,
    readOnly: options.readOnly ?? false,
    layout: layoutFor(columns, rows, state.zoom, state.focus),
    now: '2026-12-02T06:00:00.000Z',
  };
}

/** Presses keys (as a terminal sends them) one after another, each on the state the last left. */
function press(
  state: UiState,
  snapshot: EngineSnapshot,
  input: string,
  options: Parameters<typeof viewOf>[2] = {},
): { state: UiState; steps: KeyStep[] } {
  const steps: KeyStep[] = [];
  for (const [chars, key] of splitKeys(input)) {
    const name = keyNameOf(chars, key as Key);
    if (!name) continue;
    const result = handleKey(viewOf(state, snapshot, options), name, chars, key as Key);
    steps.push(result);
    state = result.events.reduce(uiReducer, state);
  }
  return { state, steps };
}

const web = container('web-1');
const api = container('api-2');
const db = container('db-3');
const snapshot = emptySnapshot({ containers: [web, api, db] });
const effects = (steps: KeyStep[]) => steps.flatMap((s) => s.effects);
const statusOf = (state: UiState) => state.status?.text ?? '';

describe('keys as pure steps', () => {
  it('moves one row per arrow, three arrows in one read included', () => {
    const { state } = press(initialUiState(), snapshot, '\x1b[B\x1b[B');
    // Sorted by name: api-2, db-3, web-1.
    expect(state.selection.containers).toEqual({ key: web.id, index: 2 });
    expect(press(state, snapshot, 'k').state.selection.containers.key).toBe(db.id);
  });

  it('a confirmed manual pause sends the command naming the container; any other key sends nothing', () => {
    const opened = press(initialUiState(), snapshot, 'p');
    expect(opened.state.overlay).toMatchObject({ kind: 'confirm', title: 'Pause api-2?' });
    expect(effects(opened.steps)).toEqual([]);
    const yes = press(opened.state, snapshot, 'y');
    expect(effects(yes.steps)).toEqual([
      { type: 'send', command: { type: 'manual', container: api.id, action: { kind: 'pause' } } },
    ]);
    expect(yes.state.overlay).toBeUndefined();
    const no = press(opened.state, snapshot, '\r');
    expect(effects(no.steps)).toEqual([]);
    expect(statusOf(no.state)).toBe('not done: Pause api-2?');
  });

  it('approve is sent once per queue item, and a skip records the operator and the time', () => {
    const a = alert('a1', { container: { id: web.id, name: web.name } });
    const queued = emptySnapshot({ containers: [web], queue: [queueItem('q1', a, web)] });
    const stepper = press(initialUiState(), queued, 'n');
    expect(stepper.state.overlay).toEqual({ kind: 'stepper', index: 0 });
    const twice = press(stepper.state, queued, 'yy');
    expect(effects(twice.steps)).toEqual([{ type: 'send', command: { type: 'approve', id: 'q1' } }]);

    const skip = press(stepper.state, queued, 's');
    expect(effects(skip.steps)).toEqual([
      {
        type: 'send',
        command: { type: 'skip', id: 'q1' },
        onOk: [
          {
            type: 'outcome',
            key: `a1\u0000fork-storm-pause`,
            outcome: { state: 'skipped', by: 'operator', at: '2026-12-02T06:00:00.000Z' },
          },
        ],
      },
    ]);
  });

  it('a veto of a proposal is refused without using up the item: s still skips it', () => {
    const a = alert('a1');
    const queued = emptySnapshot({ containers: [web], queue: [queueItem('q1', a, web)] });
    const stepper = press(initialUiState(), queued, 'n').state;
    const veto = press(stepper, queued, 'c');
    expect(statusOf(veto.state)).toBe('only a grace countdown can be vetoed; s skips');
    expect(effects(press(veto.state, queued, 's').steps)).toHaveLength(1);
  });

  it('refuses acting keys under --read-only and hints for keys bound to nothing', () => {
    const readOnly = press(initialUiState(), snapshot, 'p', { readOnly: true });
    expect(readOnly.state.overlay).toBeUndefined();
    expect(statusOf(readOnly.state)).toBe('read-only: pause is disabled (started with --read-only)');
    expect(statusOf(press(initialUiState(), snapshot, 'w').state)).toBe(
      'w does nothing here: ? lists the keys',
    );
  });

  it('hint texts follow remapped keys', () => {
    const { keymap, errors } = applyKeyOverrides({ help: 'h', 'filter-clear': 'ctrl-x' });
    expect(errors).toEqual([]);
    expect(statusOf(press(initialUiState(), snapshot, 'w', { keymap }).state)).toBe(
      'w does nothing here: h lists the keys',
    );
    const typed = press(initialUiState(), snapshot, '/db', { keymap });
    expect(typed.state.filters.containers).toBe('db');
    // Esc is no longer the filter's clear key: nothing happens; Ctrl-X clears.
    expect(press(typed.state, snapshot, '\x1b', { keymap }).state.filters.containers).toBe('db');
    const cleared = press(typed.state, snapshot, '\x18', { keymap }).state;
    expect(cleared.filters.containers).toBe('');
    expect(cleared.editingFilter).toBe(false);
  });

  it('typing a filter: text, backspace, Enter keeps it, and the selection moves within what matches', () => {
    const typed = press(initialUiState(), snapshot, '/webx\x7f\r').state;
    expect(typed.filters.containers).toBe('web');
    expect(typed.editingFilter).toBe(false);
    const view = viewOf(typed, snapshot);
    expect(view.items.containers.map((i) => i.key)).toEqual([web.id]);
  });

  it('quits at once with nothing in flight, and asks with actions in flight', () => {
    expect(effects(press(initialUiState(), snapshot, 'q').steps)).toEqual([{ type: 'exit' }]);
    const busy = { ...snapshot, inFlight: 2 };
    const asked = press(initialUiState(), busy, 'q');
    expect(effects(asked.steps)).toEqual([]);
    expect(asked.state.overlay).toMatchObject({ kind: 'confirm', onYes: { type: 'quit' } });
    expect(effects(press(asked.state, busy, 'y').steps)).toEqual([{ type: 'exit' }]);
  });

  it('in a too-small terminal only the quit key does anything', () => {
    const small = { size: [40, 12] as [number, number] };
    const moved = press(initialUiState(), snapshot, 'jp?', small);
    expect(moved.steps.flatMap((s) => s.events)).toEqual([]);
    expect(effects(press(initialUiState(), snapshot, 'q', small).steps)).toEqual([{ type: 'exit' }]);
  });

  it('the intro closes on any key that does not scroll it', () => {
    const intro = initialUiState({
      intro: { kind: 'intro', title: 'Demo', lines: [{ text: 'hi' }], scroll: 0 },
    });
    const scrolled = press(intro, snapshot, 'jj').state;
    expect(scrolled.overlay).toMatchObject({ kind: 'intro', scroll: 2 });
    expect(press(scrolled, snapshot, 'x').state.overlay).toBeUndefined();
  });
});

describe('uiReducer', () => {
  it('focus steps wrap around both ways', () => {
    const back = uiReducer(initialUiState(), { type: 'focus-step', step: -1 });
    expect(back.focus).toBe('actions');
    expect(uiReducer(back, { type: 'focus-step', step: 1 }).focus).toBe('containers');
  });

  it('scroll changes only scrollable overlays and never goes above the top', () => {
    const plain = initialUiState();
    expect(uiReducer(plain, { type: 'scroll', by: 3 })).toBe(plain);
    const help = uiReducer(plain, { type: 'open', overlay: { kind: 'help', scroll: 0 } });
    expect(uiReducer(help, { type: 'scroll', by: -5 }).overlay).toEqual({ kind: 'help', scroll: 0 });
    const stepper = uiReducer(plain, { type: 'open', overlay: { kind: 'stepper', index: 1 } });
    expect(uiReducer(stepper, { type: 'scroll', by: 3 })).toBe(stepper);
  });
});
