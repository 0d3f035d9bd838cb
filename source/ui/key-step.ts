import type { ContainerView, EngineCommand, EngineSnapshot } from '../domain/snapshot.js';
import type { DetailLine } from './details.js';
import { keyOf, type KeyBinding, type KeyContext } from './keymap.js';
import type { Layout } from './layout.js';
import { selectedIndex, type PaneItem, type PaneItems } from './pane-items.js';
import type { PaneId } from './pane-rows.js';
import type { ConfirmAnswer, UiEvent, UiState } from './ui-state.js';

/** What a key needs to know: the UI's state and the frame the operator is looking at. */
export interface KeyView {
  state: UiState;
  snapshot: EngineSnapshot;
  /** Each pane's rows as shown (sorted and filtered). */
  items: PaneItems;
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  layout: Layout;
  /** ISO time of the keypress (outcomes say when the operator decided). */
  now: string;
}

/** What the screen does besides changing its state; the app runs these. */
export type UiEffect =
  /** `onOk` is applied when the engine answers ok (the status line shows the answer either way). */
  | { type: 'send'; command: EngineCommand; onOk?: UiEvent[] }
  | { type: 'exit' }
  | { type: 'copy'; text: string }
  /** A key for the open Inspect view, whose state the app's useInspect holds. */
  | { type: 'inspect-key'; name: string; input: string }
  /** A key for the open logs view, whose state its LogsView holds. */
  | { type: 'logs-key'; name: string; input: string };

/** The result of one key: state changes, then effects. */
export interface KeyStep {
  events: UiEvent[];
  effects: UiEffect[];
}

export const step = (events: UiEvent[] = [], effects: UiEffect[] = []): KeyStep => ({ events, effects });

/** A note on the status line: no ok/failed word, nothing was attempted. */
export const note = (text: string): KeyStep => step([{ type: 'status', status: { text } }]);

export const send = (command: EngineCommand, onOk?: UiEvent[]): KeyStep =>
  step([], [{ type: 'send', command, ...(onOk ? { onOk } : {}) }]);

export const confirm = (title: string, lines: DetailLine[], onYes: ConfirmAnswer): KeyStep =>
  step([{ type: 'open', overlay: { kind: 'confirm', title, lines, onYes } }]);

/** The label of the key bound to an action, for hint texts. */
export const keyFor = (view: KeyView, action: string, context: KeyContext = 'main'): string =>
  keyOf(view.keymap, action, context);

export function selectedItem(view: KeyView, pane: PaneId = view.state.focus): PaneItem | undefined {
  const list = view.items[pane];
  return list[selectedIndex(list, view.state.selection[pane])];
}

/** The container the operator means: the selected one, or the one the selected alert/action names. */
export function selectedContainer(view: KeyView): ContainerView | undefined {
  const item = selectedItem(view);
  if (!item) return undefined;
  if (item.container) return item.container;
  const containers = view.snapshot.containers;
  const id = item.alert?.decisions.find((d) => d.container)?.container?.id ?? item.action?.container.id;
  if (id) return containers.find((c) => c.id === id);
  const ref = item.alert?.alert.container;
  return ref ? containers.find((c) => c.id === ref.id || c.name === ref.name) : undefined;
}

/** Quit, asking first when actions are still in flight. */
export function requestQuit(view: KeyView): KeyStep {
  const inFlight = view.snapshot.inFlight;
  if (inFlight === 0) return step([], [{ type: 'exit' }]);
  return confirm(
    `Quit with ${inFlight} action(s) in flight?`,
    [
      {
        text: 'Actions still running are finished by the engine as it shuts down; the journal records them.',
      },
    ],
    { type: 'quit' },
  );
}
