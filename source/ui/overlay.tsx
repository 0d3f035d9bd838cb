import { Text } from 'ink';
import type { DetailLine } from './details.js';
import { fit, wrapCells } from './format.js';
import { Frame } from './frame.js';
import { useTheme } from './theme.js';

/** A full-body panel (details, help, stepper, confirm): title, lines windowed from `scroll`, hint. */
export function Overlay(props: {
  title: string;
  lines: readonly DetailLine[];
  width: number;
  height: number;
  scroll?: number;
  hint: string;
}) {
  const theme = useTheme();
  const inner = Math.max(0, props.width - 2);
  const room = Math.max(0, props.height - 3);
  const lines = wrapLines(props.lines, inner - 1);
  const scroll = Math.min(Math.max(0, props.scroll ?? 0), Math.max(0, lines.length - room));
  const visible = lines.slice(scroll, scroll + room);
  const more = lines.length > scroll + room ? ` ↓${lines.length - scroll - room} more` : '';
  const title = ` ${props.title} `;
  return (
    <Frame
      title={title}
      width={props.width}
      height={props.height}
      footer={
        <Text wrap="truncate" color={theme.color('muted')}>
          {fit(' ' + props.hint + more, inner)}
        </Text>
      }
    >
      {visible.map((line, i) => (
        <Text key={i} wrap="truncate" bold={line.bold} color={line.role ? theme.color(line.role) : undefined}>
          {fit(' ' + line.text, inner)}
        </Text>
      ))}
    </Frame>
  );
}

/** Long lines wrap instead of being cut; continuation lines are indented under their first. */
export function wrapLines(lines: readonly DetailLine[], width: number): DetailLine[] {
  return lines.flatMap((line) => {
    const parts = wrapCells(line.text, width);
    if (parts.length === 1) return [line];
    const indent = ' '.repeat(Math.min(8, (/^ */.exec(line.text)?.[0].length ?? 0) + 2));
    const [first, ...rest] = parts;
    return [
      { ...line, text: first! },
      ...wrapCells(rest.join(' '), Math.max(1, width - indent.length)).map((text) => ({
        ...line,
        text: indent + text,
      })),
    ];
  });
}
