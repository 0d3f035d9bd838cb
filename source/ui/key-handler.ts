import type { Key } from 'ink';
import { keyFor, note, requestQuit, step, type KeyStep, type KeyView } from './key-step.js';
import { actionFor, isActionOf, keyLabel, stepperHint } from './keymap.js';
import { mainActions } from './main-actions.js';
import { stepperActions } from './stepper-actions.js';

/**
 * What one keypress does, given the frame the operator sees: pure, so every key can be tested
 * without a terminal. The open prompt or overlay takes the keyboard first, then the main keys.
 */
export function handleKey(view: KeyView, name: string, input: string, key: Key): KeyStep {
  const { state, keymap } = view;
  if (state.editingFilter) return filterKey(view, name, input, key);
  const overlay = state.overlay;
  switch (overlay?.kind) {
    case 'confirm': {
      // Anything but the yes key is a No: the default is always the safe answer.
      const closed = step([{ type: 'close' }]);
      if (actionFor(keymap, 'confirm', name)?.action !== 'confirm-yes')
        return { ...closed, events: [...closed.events, ...note(`not done: ${overlay.title}`).events] };
      const effects = overlay.onYes.type === 'quit' ? [{ type: 'exit' as const }] : [overlay.onYes];
      return { events: closed.events, effects };
    }
    case 'help':
    case 'details':
    case 'intro': {
      const action = actionFor(keymap, 'main', name)?.action;
      const by = { down: 1, up: -1, 'page-down': 10, 'page-up': -10, top: 'top' as const }[action ?? ''];
      if (by !== undefined) return step([{ type: 'scroll', by }]);
      if (name === 'ctrl-c') return requestQuit(view);
      return step([{ type: 'close' }]);
    }
    case 'stepper': {
      if (name === 'ctrl-c') return requestQuit(view);
      const binding = actionFor(keymap, 'stepper', name);
      if (!binding || !isActionOf('stepper', binding.action))
        return note(`${keyLabel(name)} does nothing in the queue: ${stepperHint(keymap, view.readOnly)}`);
      return stepperActions[binding.action](view, overlay.index);
    }
    case 'inspect':
      if (name === 'ctrl-c') return requestQuit(view);
      return step([], [{ type: 'inspect-key', name, input }]);
    case 'logs':
      if (name === 'ctrl-c') return requestQuit(view);
      return step([], [{ type: 'logs-key', name, input }]);
  }
  const binding = actionFor(keymap, 'main', name);
  if (view.layout.kind === 'too-small') return binding?.action === 'quit' ? requestQuit(view) : step();
  if (!binding || !isActionOf('main', binding.action))
    return note(`${keyLabel(name)} does nothing here: ${keyFor(view, 'help')} lists the keys`);
  if (binding.acting && view.readOnly)
    return note(`read-only: ${binding.action} is disabled (started with --read-only)`);
  return mainActions[binding.action](view);
}

/** Typing a filter: printable keys are text; the filter context's keys keep, clear or erase. */
function filterKey(view: KeyView, name: string, input: string, key: Key): KeyStep {
  const pane = view.state.focus;
  const text = view.state.filters[pane];
  const set = (next: string) => step([{ type: 'set-filter', pane, text: next }]);
  switch (actionFor(view.keymap, 'filter', name)?.action) {
    case 'filter-keep':
      return step([{ type: 'edit-filter', on: false }]);
    case 'filter-clear':
      return step([
        { type: 'edit-filter', on: false },
        { type: 'set-filter', pane, text: '' },
      ]);
    case 'filter-erase':
      return set([...text].slice(0, -1).join(''));
  }
  if (name === 'ctrl-c') return requestQuit(view);
  if (name === 'space') return set(text + ' ');
  if (input.length > 0 && !key.ctrl && !key.meta && [...input].every((ch) => ch >= ' '))
    return set(text + input);
  return step();
}
