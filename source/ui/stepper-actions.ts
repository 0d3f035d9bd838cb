import { keyFor, note, send, step, type KeyStep, type KeyView } from './key-step.js';
import type { ActionOf } from './keymap.js';
import { clampIndex } from './list-window.js';
import { outcomeEvent } from './main-actions.js';

type Handler = (view: KeyView, index: number) => KeyStep;

const goTo = (view: KeyView, index: number): KeyStep =>
  step([
    { type: 'open', overlay: { kind: 'stepper', index: clampIndex(index, view.snapshot.queue.length) } },
  ]);

/** Answers the queue item shown, once: a second key on the same item sends nothing. */
function answer(kind: 'approve' | 'skip' | 'veto'): Handler {
  return (view, index) => {
    const queue = view.snapshot.queue;
    const item = queue[clampIndex(index, queue.length)];
    if (!item) return step();
    if (view.readOnly) return note('read-only: the queue cannot be acted on');
    if (view.state.answered.has(item.id)) return step();
    if (kind === 'veto' && item.kind !== 'grace')
      return note(`only a grace countdown can be vetoed; ${keyFor(view, 'skip', 'stepper')} skips`);
    const answered = step([{ type: 'answered', id: item.id }]);
    const sent =
      kind === 'approve'
        ? send({ type: 'approve', id: item.id })
        : send({ type: kind, id: item.id }, [
            outcomeEvent(item, kind === 'skip' ? 'skipped' : 'vetoed', view.now),
          ]);
    return { events: answered.events, effects: sent.effects };
  };
}

/** The queue stepper's actions, keyed by the keymap's stepper actions (checked by the compiler). */
export const stepperActions: Record<ActionOf<'stepper'>, Handler> = {
  close: () => step([{ type: 'close' }]),
  'next-item': (view, index) => goTo(view, index + 1),
  'previous-item': (view, index) => goTo(view, index - 1),
  approve: answer('approve'),
  skip: answer('skip'),
  'veto-shown': answer('veto'),
};
