import { Box, Text } from 'ink';
import { fit, wrapCells } from './format.js';
import { minColumns, minRows } from './layout.js';

/** Below the minimum size: only this message (wrapped, never cut), and the quit key. */
export function TooSmall(props: { columns: number; rows: number; quitKey: string }) {
  const text = `terminal too small: ${props.columns}×${props.rows}, Brig needs ${minColumns}×${minRows} (${props.quitKey} quits)`;
  return (
    <Box width={props.columns} height={props.rows} overflow="hidden" flexDirection="column">
      {wrapCells(text, props.columns)
        .slice(0, props.rows)
        .map((line, i) => (
          <Text key={i} wrap="truncate">
            {fit(line, props.columns)}
          </Text>
        ))}
    </Box>
  );
}
