import { Box, Text } from 'ink';
import type { DetailLine } from './details.js';
import { fit } from './format.js';
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
  const scroll = Math.min(Math.max(0, props.scroll ?? 0), Math.max(0, props.lines.length - room));
  const visible = props.lines.slice(scroll, scroll + room);
  const more = props.lines.length > scroll + room ? ` ↓${props.lines.length - scroll - room} more` : '';
  const title = ` ${props.title} `;
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Text bold color={theme.color('focus')} wrap="truncate">
        {'┏━' +
          fit(title, Math.max(0, inner - 1)) +
          '━'.repeat(Math.max(0, inner - 1 - [...title].length)) +
          '┓'}
      </Text>
      <Box
        flexDirection="column"
        borderStyle="bold"
        borderTop={false}
        borderColor={theme.color('focus')}
        height={props.height - 1}
        width={props.width}
        overflow="hidden"
      >
        {visible.map((line, i) => (
          <Text
            key={i}
            wrap="truncate"
            bold={line.bold}
            color={line.role ? theme.color(line.role) : undefined}
          >
            {fit(' ' + line.text, inner)}
          </Text>
        ))}
        <Box flexGrow={1} />
        <Text wrap="truncate" color={theme.color('muted')}>
          {fit(' ' + props.hint + more, inner)}
        </Text>
      </Box>
    </Box>
  );
}
