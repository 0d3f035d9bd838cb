import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { topLine } from './format.js';
import { useTheme } from './theme.js';

/**
 * The heavy frame of every full-body overlay (details, help, Inspect, logs…): the title set into
 * its top border, the body from the top, the footer lines at the bottom.
 */
export function Frame(props: {
  title: string;
  width: number;
  height: number;
  children: ReactNode;
  footer: ReactNode;
}) {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Text bold color={theme.color('focus')} wrap="truncate">
        {topLine('┏', '━', '┓', props.title, Math.max(0, props.width - 2))}
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
        {props.children}
        <Box flexGrow={1} />
        {props.footer}
      </Box>
    </Box>
  );
}
