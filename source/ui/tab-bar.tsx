import { Text } from 'ink';
import { paneOrder, paneTitles, type PaneId } from './pane-rows.js';

/** The compact layout's pane tabs (one pane shows at a time); the focused one is bracketed. */
export function TabBar({
  focus,
  width,
  highlight,
}: {
  focus: PaneId;
  width: number;
  highlight: string | undefined;
}) {
  return (
    <Text wrap="truncate">
      {paneOrder.map((id, i) => (
        <Text key={id} bold={id === focus} color={id === focus ? highlight : undefined}>
          {id === focus ? ` [${i + 1} ${paneTitles[id]}]` : `  ${i + 1} ${paneTitles[id]} `}
        </Text>
      ))}
      {' '.repeat(Math.max(0, width - 60))}
    </Text>
  );
}
