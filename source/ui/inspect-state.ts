import type { InspectResult } from '../domain/snapshot.js';
import {
  allFolds,
  buildTree,
  findNodes,
  initialFolds,
  lineIndexOf,
  nodeOfLine,
  reveal,
  stepMatch,
  treeLines,
  type JsonTree,
  type NodePath,
  type TreeLine,
} from './json-tree.js';
import { actionFor, keyLabel, keyOf, typingAction, type KeyBinding } from './keymap.js';

/** The Inspect view (raw inspect JSON): what it shows, where the cursor is, what find looks for. */
export interface InspectState {
  phase: 'loading' | 'ready' | 'error';
  /** Why there is no document (phase 'error'). */
  message: string;
  engine?: string;
  /** ISO time the engine answered: the document is what it was then, not live. */
  at?: string;
  tree?: JsonTree;
  folded: ReadonlySet<NodePath>;
  /** The id of the line the cursor is on (a node, or a node's closing bracket). */
  cursor: string;
  /** The visible lines for `folded` (derived, kept so a key does not rebuild them twice). */
  lines: readonly TreeLine[];
  /** The find prompt is open and takes the keys typed. */
  editing: boolean;
  draft: string;
  /** The last find confirmed, and the nodes it matched in document order. */
  query: string;
  matches: readonly NodePath[];
  /** One line for the operator: no match, a key that does nothing here. */
  note?: string;
  /** A close key was pressed: the app drops the overlay. */
  closed: boolean;
}

export function initialInspectState(): InspectState {
  return {
    phase: 'loading',
    message: '',
    folded: new Set(),
    cursor: '',
    lines: [],
    editing: false,
    draft: '',
    query: '',
    matches: [],
    closed: false,
  };
}

export function inspectLoaded(state: InspectState, result: InspectResult, at?: string): InspectState {
  if (!result.ok) return { ...state, phase: 'error', message: result.message, at };
  const tree = buildTree(result.inspect);
  const folded = initialFolds(tree);
  const lines = treeLines(tree, folded);
  return {
    ...state,
    phase: 'ready',
    engine: result.engine,
    at,
    tree,
    folded,
    lines,
    cursor: lines[0]?.id ?? '',
  };
}

function withFolds(state: InspectState, folded: ReadonlySet<NodePath>, cursor = state.cursor): InspectState {
  const lines = treeLines(state.tree!, folded);
  // The cursor stays on its node; a node folded away under it leaves it on the nearest visible ancestor.
  return { ...state, folded, lines, cursor: lines[lineIndexOf(lines, cursor)]?.id ?? '' };
}

function moveTo(state: InspectState, index: number): InspectState {
  const i = Math.min(Math.max(0, index), state.lines.length - 1);
  return { ...state, cursor: state.lines[i]?.id ?? state.cursor };
}

function jump(state: InspectState, target: NodePath | undefined, what: string): InspectState {
  if (target === undefined) return { ...state, note: `no match for /${state.query}` };
  const n = state.matches.indexOf(target) + 1;
  const next = withFolds(state, reveal(state.folded, target), target);
  return { ...next, note: `${what} ${n}/${state.matches.length} for /${state.query}` };
}

/** One key in the Inspect view; `page` is how many lines it shows (for PgUp/PgDn). */
export function inspectKey(
  state: InspectState,
  keymap: readonly KeyBinding[],
  name: string,
  input: string,
  page: number,
): InspectState {
  const base = { ...state, note: undefined };
  if (state.editing) return findPromptKey(base, name, input, keymap);
  const action = actionFor(keymap, 'inspect', name)?.action;
  if (action === 'inspect-close') return { ...base, closed: true };
  if (state.phase !== 'ready' || !state.tree) return base;
  const at = lineIndexOf(state.lines, state.cursor);
  const node = nodeOfLine(state.lines[at]?.id ?? '');
  switch (action) {
    case 'inspect-down':
      return moveTo(base, at + 1);
    case 'inspect-up':
      return moveTo(base, at - 1);
    case 'inspect-page-down':
      return moveTo(base, at + Math.max(1, page - 1));
    case 'inspect-page-up':
      return moveTo(base, at - Math.max(1, page - 1));
    case 'inspect-top':
      return moveTo(base, 0);
    case 'inspect-bottom':
      return moveTo(base, state.lines.length - 1);
    case 'inspect-fold': {
      const line = state.lines[at];
      if (!line?.foldable || node === '') return { ...base, note: 'nothing to fold here' };
      const folded = new Set(state.folded);
      if (folded.has(node)) folded.delete(node);
      else folded.add(node);
      // Folding from its closing bracket puts the cursor on the folded line, where the node now is.
      return withFolds(base, folded, node);
    }
    case 'inspect-fold-all':
      return withFolds(base, allFolds(state.tree), node);
    case 'inspect-unfold-all':
      return withFolds(base, new Set(), state.cursor);
    case 'inspect-find':
      return { ...base, editing: true, draft: '' };
    case 'inspect-next-match':
    case 'inspect-previous-match': {
      if (!state.query)
        return { ...base, note: `nothing to look for: ${keyOf(keymap, 'inspect-find', 'inspect')} finds` };
      const direction = action === 'inspect-next-match' ? 1 : -1;
      return jump(base, stepMatch(state.tree, state.matches, node, direction), 'match');
    }
    default:
      return { ...base, note: `${keyLabel(name)} does nothing here` };
  }
}

function findPromptKey(
  state: InspectState,
  name: string,
  input: string,
  keymap: readonly KeyBinding[],
): InspectState {
  const typing = typingAction(keymap, name);
  if (typing === 'filter-clear') return { ...state, editing: false, draft: '' };
  if (typing === 'filter-erase') return { ...state, draft: [...state.draft].slice(0, -1).join('') };
  if (typing === 'filter-keep') {
    const query = state.draft;
    if (!state.tree || !query) return { ...state, editing: false };
    const matches = findNodes(state.tree, query);
    const next = { ...state, editing: false, query, matches };
    const from = nodeOfLine(state.cursor);
    return jump(next, stepMatch(state.tree, matches, from, 1, true), 'match');
  }
  if (name === 'space') return { ...state, draft: state.draft + ' ' };
  if (name.startsWith('ctrl-')) return state;
  if (input.length > 0 && [...input].every((ch) => ch >= ' '))
    return { ...state, draft: state.draft + input };
  return state;
}
