import type { DecisionOutcome, EngineCommand } from '../domain/snapshot.js';
import type { LocalOutcomes } from './alert-outcomes.js';
import type { ContainerSort } from './container-sort.js';
import type { DetailLine } from './details.js';
import type { StatusMessage } from './footer.js';
import { paneOrder, type PaneId } from './pane-rows.js';

/** What a confirmed prompt does: data, not a closure, so the state stays printable and testable. */
export type ConfirmAnswer = { type: 'send'; command: EngineCommand } | { type: 'quit' };

export type OverlayState =
  | { kind: 'help'; scroll: number }
  | { kind: 'details'; pane: PaneId; key: string; scroll: number }
  | { kind: 'stepper'; index: number }
  /** The raw inspect JSON of a container; its tree, cursor and find live in use-inspect.ts. */
  | { kind: 'inspect'; container: string; name: string }
  | { kind: 'confirm'; title: string; lines: DetailLine[]; onYes: ConfirmAnswer }
  /** A text shown over the panes at start (the demo's introduction); any key closes it. */
  | { kind: 'intro'; title: string; lines: DetailLine[]; scroll: number }
  /** Following a container's logs; `around` (an alert's or action's time) is marked and shown first. */
  | { kind: 'logs'; container: string; name: string; around?: string };

export interface Selection {
  /** The selected row's key: the selection follows its row when rows move. */
  key?: string;
  /** Where it was, for when its row is gone. */
  index: number;
}

export interface UiState {
  focus: PaneId;
  selection: Record<PaneId, Selection>;
  filters: Record<PaneId, string>;
  editingFilter: boolean;
  zoom: boolean;
  overlay?: OverlayState;
  status?: StatusMessage;
  sortBy: ContainerSort;
  /** What the operator did here to queued decisions (skip, veto), shown in the verdict column. */
  localOutcomes: LocalOutcomes;
  /** Queue items already answered from this screen: a second y on the same one sends nothing. */
  answered: ReadonlySet<string>;
}

export type UiEvent =
  | { type: 'focus'; pane: PaneId }
  | { type: 'focus-step'; step: 1 | -1 }
  | { type: 'select'; pane: PaneId; key: string | undefined; index: number }
  | { type: 'edit-filter'; on: boolean }
  | { type: 'set-filter'; pane: PaneId; text: string }
  | { type: 'zoom'; on: boolean }
  | { type: 'open'; overlay: OverlayState }
  | { type: 'close' }
  /** Scrolls the open help, details or intro overlay. */
  | { type: 'scroll'; by: number | 'top' }
  | { type: 'status'; status: StatusMessage | undefined }
  | { type: 'sort'; by: ContainerSort }
  | { type: 'outcome'; key: string; outcome: DecisionOutcome }
  | { type: 'answered'; id: string };

const perPane = <T>(value: T): Record<PaneId, T> =>
  Object.fromEntries(paneOrder.map((pane) => [pane, value])) as Record<PaneId, T>;

export function initialUiState(options: { status?: StatusMessage; intro?: OverlayState } = {}): UiState {
  return {
    focus: 'containers',
    selection: perPane<Selection>({ index: 0 }),
    filters: perPane(''),
    editingFilter: false,
    zoom: false,
    overlay: options.intro,
    status: options.status,
    sortBy: 'name',
    localOutcomes: new Map(),
    answered: new Set(),
  };
}

/** The UI's state changes, all of them: pure, so every key's effect can be tested without a screen. */
export function uiReducer(state: UiState, event: UiEvent): UiState {
  switch (event.type) {
    case 'focus':
      return { ...state, focus: event.pane };
    case 'focus-step': {
      const next = (paneOrder.indexOf(state.focus) + event.step + paneOrder.length) % paneOrder.length;
      return { ...state, focus: paneOrder[next]! };
    }
    case 'select':
      return {
        ...state,
        selection: { ...state.selection, [event.pane]: { key: event.key, index: event.index } },
      };
    case 'edit-filter':
      return { ...state, editingFilter: event.on };
    case 'set-filter':
      return { ...state, filters: { ...state.filters, [event.pane]: event.text } };
    case 'zoom':
      return { ...state, zoom: event.on };
    case 'open':
      return { ...state, overlay: event.overlay };
    case 'close':
      return { ...state, overlay: undefined };
    case 'scroll': {
      const overlay = state.overlay;
      if (!overlay || !('scroll' in overlay)) return state;
      const scroll = event.by === 'top' ? 0 : Math.max(0, overlay.scroll + event.by);
      return { ...state, overlay: { ...overlay, scroll } };
    }
    case 'status':
      return { ...state, status: event.status };
    case 'sort':
      return { ...state, sortBy: event.by };
    case 'outcome':
      return { ...state, localOutcomes: new Map(state.localOutcomes).set(event.key, event.outcome) };
    case 'answered':
      return { ...state, answered: new Set(state.answered).add(event.id) };
  }
}
