import { Text } from 'ink';
import { useRef } from 'react';
import type { InspectState } from './inspect-state.js';
import { displayPath, lineIndexOf, nodeOfLine } from './json-tree.js';
import { clockTime, fit, wrapCells } from './format.js';
import { inspectHint, typingHint, type KeyBinding } from './keymap.js';
import { Frame } from './frame.js';
import { useTheme } from './theme.js';

/**
 * Which lines fill `room` rows with the cursor's line whole: it wraps over `cursorRows` rows (every
 * other line is one row, cut), and the window moves only when the cursor would leave it.
 */
export function treeWindow(
  previousOffset: number,
  cursor: number,
  count: number,
  room: number,
  cursorRows: number,
): { offset: number; end: number } {
  if (room <= 0 || count === 0) return { offset: 0, end: 0 };
  const tall = Math.min(Math.max(1, cursorRows), room);
  let offset = Math.min(Math.max(0, previousOffset), Math.max(0, count - room + tall - 1));
  if (cursor < offset) offset = cursor;
  if (cursor - offset + tall > room) offset = cursor + tall - room;
  offset = Math.max(0, offset);
  const end = Math.min(count, offset + room - (cursor >= offset && cursor < offset + room ? tall - 1 : 0));
  return { offset, end };
}

/** The Inspect overlay: the container's inspect JSON as a foldable tree with a cursor line. */
export function InspectView(props: {
  state: InspectState;
  name: string;
  width: number;
  height: number;
  keymap: readonly KeyBinding[];
}) {
  const { state, width, height } = props;
  const theme = useTheme();
  const offsetRef = useRef(0);
  const inner = Math.max(0, width - 2);
  const room = Math.max(0, height - 3);
  const text = inner - 1;
  const rows: Array<{ text: string; cursor?: boolean; match?: boolean; muted?: boolean }> = [];
  let where = '';
  if (state.phase === 'loading') rows.push({ text: `asking the engine for ${props.name}…`, muted: true });
  else if (state.phase === 'error') rows.push({ text: `no inspect document: ${state.message}` });
  else {
    const at = lineIndexOf(state.lines, state.cursor);
    const cursorLine = state.lines[at];
    const cursorText = cursorLine ? wrapCells('›' + cursorLine.text, text) : [];
    const window = treeWindow(offsetRef.current, at, state.lines.length, room, cursorText.length);
    offsetRef.current = window.offset;
    const matches = new Set(state.matches);
    for (let i = window.offset; i < window.end; i++) {
      const line = state.lines[i]!;
      const match = matches.has(nodeOfLine(line.id)) && !line.id.endsWith('#end');
      if (i === at)
        for (const part of cursorText.slice(0, room)) rows.push({ text: part, cursor: true, match });
      else rows.push({ text: ' ' + line.text, match });
    }
    if (state.tree && cursorLine)
      where = `${displayPath(state.tree, nodeOfLine(cursorLine.id))}  ${at + 1}/${state.lines.length} · `;
  }
  const prompt = state.editing
    ? `find: ${state.draft}▏ ${typingHint(props.keymap, 'finds', 'cancels')}`
    : undefined;
  const hint = prompt ?? `${state.note ? state.note + ' · ' : ''}${where}${inspectHint(props.keymap)}`;
  // When it was asked: the document is the engine's answer then, not a live view.
  const asked = state.at ? ` at ${clockTime(state.at)}` : '';
  const title = ` Inspect: ${props.name}${state.engine ? ` on ${state.engine}` : ''}${asked} `;
  return (
    <Frame
      title={title}
      width={width}
      height={height}
      footer={
        <Text wrap="truncate" color={prompt ? undefined : theme.color('muted')}>
          {fit(' ' + hint, inner)}
        </Text>
      }
    >
      {rows.slice(0, room).map((row, i) => (
        <Text
          key={i}
          wrap="truncate"
          inverse={row.cursor}
          color={row.match ? theme.color('warn') : row.muted ? theme.color('muted') : undefined}
        >
          {fit(row.text, inner)}
        </Text>
      ))}
    </Frame>
  );
}
