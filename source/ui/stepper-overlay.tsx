import type { QueueItem } from '../domain/snapshot.js';
import { queueItemLines } from './details.js';
import { stepperHint, type KeyBinding } from './keymap.js';
import { clampIndex } from './list-window.js';
import { Overlay } from './overlay.js';
import { useNow } from './use-now.js';

/** The queue, one proposal or grace countdown at a time. */
export function StepperOverlay(props: {
  queue: readonly QueueItem[];
  index: number;
  width: number;
  height: number;
  readOnly: boolean;
  keymap: readonly KeyBinding[];
}) {
  // Ticks every second so grace countdowns are visibly counting.
  const now = useNow(1000);
  const queue = props.queue;
  const index = clampIndex(props.index, queue.length);
  const item = queue[index];
  return (
    <Overlay
      title={`Queue ${queue.length === 0 ? 0 : index + 1}/${queue.length}`}
      lines={item ? queueItemLines(item, now) : [{ text: 'the queue is empty' }]}
      width={props.width}
      height={props.height}
      hint={stepperHint(props.keymap, props.readOnly)}
    />
  );
}
