import type { DetailLine } from './details.js';
import { fit } from './format.js';
import { keyOf, keysLabel, scrollHint, visibleBindings, type KeyBinding, type KeyContext } from './keymap.js';
import { Overlay } from './overlay.js';

/** Where each context's keys are live, as the help's section titles. */
const sectionTitles = (keymap: readonly KeyBinding[]): Record<KeyContext, string> => ({
  main: 'Keys',
  filter: `While typing a filter (${keyOf(keymap, 'filter')})`,
  stepper: `In the queue stepper (${keyOf(keymap, 'step')})`,
  confirm: 'In a confirm prompt',
  inspect: `In the Inspect view (${keyOf(keymap, 'inspect')})`,
  logs: `In the logs view (${keyOf(keymap, 'logs')})`,
});

/** The help, generated from the keymap: what a remapped key does is what the help says. */
export function HelpOverlay(props: {
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  width: number;
  height: number;
  scroll: number;
}) {
  const shown = visibleBindings(props.keymap, props.readOnly);
  const titles = sectionTitles(props.keymap);
  const contexts = [...new Set(shown.map((k) => k.context))];
  const lines: DetailLine[] = [
    // First: a long help would scroll it out of sight.
    ...(props.readOnly ? [{ text: 'read-only: acting keys are hidden and refused', bold: true }] : []),
    ...contexts.flatMap((context) => [
      { text: titles[context], bold: true },
      ...shown
        .filter((k) => k.context === context)
        .map((k) => ({ text: `  ${fit(keysLabel(k), 16)} ${k.description}` })),
    ]),
  ];
  return (
    <Overlay
      title="Help"
      lines={lines}
      width={props.width}
      height={props.height}
      scroll={props.scroll}
      hint={scrollHint(props.keymap)}
    />
  );
}
