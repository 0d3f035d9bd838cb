import { Text } from 'ink';
import { keyOf, manualActionNames, type KeyBinding, keyLabel } from './keymap.js';
import { fit } from './format.js';
import { useTheme } from './theme.js';

export interface StatusMessage {
  text: string;
  /** Did what was asked succeed; undefined for a plain note (a hint, "not done"). */
  ok?: boolean;
}

/** The status line's words: ✓ for done, "failed:" for failures, notes as they are. */
export function statusText(status: StatusMessage): string {
  if (status.ok === undefined) return status.text;
  if (status.ok) return `✓ ${status.text}`;
  return /^failed\b/i.test(status.text) ? status.text : `failed: ${status.text}`;
}

/** Key hints from the keymap (DESIGN §10), or the latest command result, or the filter being typed. */
export function Footer(props: {
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  width: number;
  status?: StatusMessage;
  filterPrompt?: string;
}) {
  const theme = useTheme();
  if (props.filterPrompt !== undefined)
    return (
      <Text wrap="truncate">
        {fit(
          ` filter: ${props.filterPrompt}▏  ${keyOf(props.keymap, 'filter-keep', 'filter')} keeps, ${keyOf(props.keymap, 'filter-clear', 'filter')} clears`,
          props.width,
        )}
      </Text>
    );
  if (props.status)
    return (
      <Text
        wrap="truncate"
        color={
          props.status.ok === undefined
            ? theme.color('accent')
            : theme.color(props.status.ok ? 'good' : 'bad')
        }
      >
        {fit(` ${statusText(props.status)}`, props.width)}
      </Text>
    );
  return <Text wrap="truncate">{fit(' ' + footerHints(props.keymap, props.readOnly), props.width)}</Text>;
}

export function footerHints(keymap: readonly KeyBinding[], readOnly: boolean): string {
  const key = (action: string) => keymap.find((k) => k.action === action && k.context === 'main');
  const hints: string[] = [];
  const add = (action: string, label: string) => {
    const binding = key(action);
    if (!binding || (readOnly && binding.acting)) return;
    hints.push(`${keyLabel(binding.keys[0] ?? '')} ${label}`);
  };
  add('arm', 'arm');
  add('dry-run', 'dry-run');
  add('step', 'step');
  add('restore', 'restore');
  if (!readOnly) hints.push(`${manualActionNames.map((a) => keyLabel(key(a)?.keys[0] ?? '')).join('/')} act`);
  add('filter', 'filter');
  add('help', 'help');
  add('quit', 'quit');
  if (readOnly) hints.push('(read-only)');
  return hints.join('  ');
}
