import type { ActionSpec } from '../domain/action.js';
import type { ContainerView, QueueItem } from '../domain/snapshot.js';
import { outcomeKey } from './alert-outcomes.js';
import { containerSorts } from './container-sort.js';
import { undoText } from './details.js';
import { shortId } from './format.js';
import {
  confirm,
  keyFor,
  note,
  requestQuit,
  selectedContainer,
  selectedItem,
  send,
  step,
  type KeyStep,
  type KeyView,
} from './key-step.js';
import type { MainAction } from './keymap.js';
import { clampIndex } from './list-window.js';
import { selectedIndex } from './pane-items.js';
import type { PaneId } from './pane-rows.js';
import type { UiEvent } from './ui-state.js';

type Handler = (view: KeyView) => KeyStep;

const manualSpecs = {
  pause: { verb: 'Pause', spec: { kind: 'pause' } },
  stop: { verb: 'Stop', spec: { kind: 'stop', timeoutSecs: 10 } },
  kill: { verb: 'Kill', spec: { kind: 'kill', signal: 'SIGKILL' } },
  isolate: {
    verb: 'Network-isolate (disconnect from every network)',
    spec: { kind: 'network-disconnect', networks: [] },
  },
} satisfies Record<string, { verb: string; spec: ActionSpec }>;

/** The event that records what the operator did to a queued decision, for the verdict column. */
export function outcomeEvent(item: QueueItem, state: 'skipped' | 'vetoed', at: string): UiEvent {
  return {
    type: 'outcome',
    key: outcomeKey(item.alert.id, item.decision.policy),
    outcome: { state, by: 'operator', at },
  };
}

function move(view: KeyView, delta: number | 'top' | 'bottom'): KeyStep {
  const pane = view.state.focus;
  const list = view.items[pane];
  const current = selectedIndex(list, view.state.selection[pane]);
  const target = delta === 'top' ? 0 : delta === 'bottom' ? list.length - 1 : current + delta;
  const index = clampIndex(target, list.length);
  return step([{ type: 'select', pane, key: list[index]?.key, index }]);
}

/** Rows of the focused pane's list (a page). */
function pageOf(view: KeyView): number {
  const pane = view.layout.panes.find((p) => p.id === view.state.focus);
  return Math.max(1, (pane?.height ?? view.layout.body) - 3);
}

/** Runs `then` on the container the operator means, or says how to select one. */
function withContainer(view: KeyView, then: (c: ContainerView) => KeyStep): KeyStep {
  const c = selectedContainer(view);
  return c
    ? then(c)
    : note('select a container first (Containers pane, or an alert or action that names one)');
}

function manual(action: keyof typeof manualSpecs): Handler {
  return (view) =>
    withContainer(view, (c) =>
      confirm(
        `${manualSpecs[action].verb} ${c.name}?`,
        [
          { text: `container ${c.name} (${c.image}), now ${c.state}` },
          { text: `Journaled as a manual action; ${keyFor(view, 'restore')} restores it.` },
        ],
        { type: 'send', command: { type: 'manual', container: c.id, action: manualSpecs[action].spec } },
      ),
    );
}

const focus =
  (pane: PaneId): Handler =>
  () =>
    step([{ type: 'focus', pane }]);

/** The grace countdown the operator means: of the selected alert or container, or the only one. */
function graceForSelection(view: KeyView): QueueItem | undefined {
  const graces = view.snapshot.queue.filter((q) => q.kind === 'grace');
  const item = selectedItem(view);
  const byAlert = item?.alert ? graces.find((q) => q.alert.id === item.alert!.alert.id) : undefined;
  const byContainer = item?.container
    ? graces.find((q) => q.decision.container?.id === item.container!.id)
    : undefined;
  return byAlert ?? byContainer ?? (graces.length === 1 ? graces[0] : undefined);
}

/**
 * Every main-context action of the keymap and what it does. Keyed by the keymap's own action
 * names, so a binding without a handler (or a handler without a binding) does not compile.
 */
export const mainActions: Record<MainAction, Handler> = {
  'focus-next': () => step([{ type: 'focus-step', step: 1 }]),
  'focus-previous': () => step([{ type: 'focus-step', step: -1 }]),
  'focus-containers': focus('containers'),
  'focus-alerts': focus('alerts'),
  'focus-policies': focus('policies'),
  'focus-actions': focus('actions'),
  down: (view) => move(view, 1),
  up: (view) => move(view, -1),
  top: (view) => move(view, 'top'),
  bottom: (view) => move(view, 'bottom'),
  'page-down': (view) => move(view, pageOf(view)),
  'page-up': (view) => move(view, -pageOf(view)),
  details: (view) => {
    const item = selectedItem(view);
    return item
      ? step([
          { type: 'open', overlay: { kind: 'details', pane: view.state.focus, key: item.key, scroll: 0 } },
        ])
      : note('nothing selected');
  },
  filter: () => step([{ type: 'edit-filter', on: true }]),
  clear: (view) => {
    const pane = view.state.focus;
    if (view.state.filters[pane]) return step([{ type: 'set-filter', pane, text: '' }]);
    if (view.state.zoom) return step([{ type: 'zoom', on: false }]);
    return step();
  },
  arm: (view) => {
    if (view.snapshot.armed) return send({ type: 'disarm' });
    return confirm(
      'Arm auto-isolate?',
      [
        { text: 'Brig will then act on its decisions by itself: pause, stop, kill, isolate, throttle.' },
        { text: `Policies loaded: ${view.snapshot.policies.filter((p) => p.enabled).length} enabled.` },
        { text: `Disarm at any time with ${keyFor(view, 'arm')} (instant, no question).` },
      ],
      { type: 'send', command: { type: 'arm' } },
    );
  },
  'dry-run': (view) => send({ type: 'set-dry-run', on: !view.snapshot.dryRun }),
  step: (view) =>
    view.snapshot.queue.length === 0
      ? note('the queue is empty: no proposals or grace countdowns')
      : step([{ type: 'open', overlay: { kind: 'stepper', index: 0 } }]),
  veto: (view) => {
    const item = graceForSelection(view);
    if (!item) return note('no grace countdown selected (select its alert or container)');
    return send({ type: 'veto', id: item.id }, [outcomeEvent(item, 'vetoed', view.now)]);
  },
  restore: (view) =>
    withContainer(view, (c) => {
      const records = c.isolation?.actions ?? [];
      if (records.length === 0) return note(`${c.name}: Brig has recorded nothing to undo`);
      return confirm(
        `Restore ${c.name}?`,
        [
          { text: 'This will undo, newest first:', bold: true },
          ...[...records].reverse().map((r) => ({ text: '  ' + undoText(r) })),
        ],
        { type: 'send', command: { type: 'restore', container: c.id } },
      );
    }),
  pause: manual('pause'),
  stop: manual('stop'),
  kill: manual('kill'),
  isolate: manual('isolate'),
  capture: (view) =>
    withContainer(view, (c) =>
      confirm(
        `Capture evidence of ${c.name}?`,
        [
          { text: `container ${c.name} (${c.image}), now ${c.state}` },
          {
            text: 'Processes, logs, changed files and more into a bundle; nothing in the container changes.',
          },
        ],
        { type: 'send', command: { type: 'capture', container: c.id } },
      ),
    ),
  'reload-policies': () => send({ type: 'reload-policies' }),
  'toggle-policy': (view) => {
    const policy = view.state.focus === 'policies' ? selectedItem(view)?.policy : undefined;
    if (!policy) return note(`select a policy first (Policies pane: ${keyFor(view, 'focus-policies')})`);
    return send({ type: 'set-policy-enabled', id: policy.id, enabled: !policy.enabled });
  },
  zoom: (view) => step([{ type: 'zoom', on: !view.state.zoom }]),
  sort: (view) => {
    const next = containerSorts[(containerSorts.indexOf(view.state.sortBy) + 1) % containerSorts.length]!;
    return step([
      { type: 'sort', by: next },
      { type: 'status', status: { text: `containers sorted by ${next}` } },
    ]);
  },
  copy: (view) => {
    const item = selectedItem(view);
    if (!item) return note('nothing selected to copy');
    const [text, what] = item.container
      ? [item.container.id, `container id ${shortId(item.container.id)}`]
      : item.action
        ? [JSON.stringify(item.action), `action record ${item.action.id}`]
        : item.alert
          ? [JSON.stringify(item.alert.alert), `alert ${item.alert.alert.id}`]
          : [item.policy!.file, `policy file ${item.policy!.file}`];
    return step(
      [
        {
          type: 'status',
          status: { text: `copied ${what} to the clipboard (OSC 52: the terminal must allow it)` },
        },
      ],
      [{ type: 'copy', text }],
    );
  },
  logs: (view) =>
    withContainer(view, (c) => {
      // From an alert or an action: start at its time, the lines around it marked.
      const item = selectedItem(view);
      const around = item?.alert?.alert.time ?? item?.action?.ts;
      return step([
        {
          type: 'open',
          overlay: { kind: 'logs', container: c.id, name: c.name, ...(around ? { around } : {}) },
        },
      ]);
    }),
  inspect: (view) =>
    withContainer(view, (c) =>
      step([{ type: 'open', overlay: { kind: 'inspect', container: c.id, name: c.name } }]),
    ),
  help: () => step([{ type: 'open', overlay: { kind: 'help', scroll: 0 } }]),
  quit: (view) => requestQuit(view),
};
