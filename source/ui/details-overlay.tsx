import { actionDetails, alertDetails, containerDetails, policyDetails } from './details.js';
import type { TimelineSources } from './timeline.js';
import { scrollHint, type KeyBinding } from './keymap.js';
import { Overlay } from './overlay.js';
import type { PaneItem } from './pane-items.js';
import { paneTitles, type PaneId } from './pane-rows.js';

/** Enter on a row: everything about it (a row gone from the snapshot says so). */
export function DetailsOverlay(props: {
  pane: PaneId;
  item: PaneItem | undefined;
  /** For a container's timeline: the alerts (with what became of them) and the action records. */
  sources: TimelineSources;
  keymap: readonly KeyBinding[];
  width: number;
  height: number;
  scroll: number;
}) {
  const item = props.item;
  const lines = !item
    ? [{ text: 'gone: this row is no longer in the snapshot' }]
    : item.container
      ? containerDetails(item.container, props.width, props.sources)
      : item.alert
        ? alertDetails(item.alert)
        : item.policy
          ? policyDetails(item.policy)
          : actionDetails(item.action!);
  return (
    <Overlay
      title={`Details: ${paneTitles[props.pane]}`}
      lines={lines}
      width={props.width}
      height={props.height}
      scroll={props.scroll}
      hint={scrollHint(props.keymap)}
    />
  );
}
