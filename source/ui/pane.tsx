import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { layoutColumns, type ColumnSpec, type LaidOutColumn } from './columns.js';
import { fit } from './format.js';
import type { PaneRow } from './pane-rows.js';
import { useTheme, type Theme } from './theme.js';

export interface PaneProps {
  number: number;
  title: string;
  focused: boolean;
  width: number;
  height: number;
  columns: readonly ColumnSpec[];
  /** The rows on screen (from `offset`), and how many the pane has in all. */
  rows: readonly PaneRow[];
  count: number;
  total: number;
  selected: number;
  offset: number;
  filter: string;
  editingFilter: boolean;
  emptyText: string;
}

/** A bordered pane: title in the top border, a column header, and only the rows that fit. */
export function Pane(props: PaneProps) {
  const theme = useTheme();
  const inner = Math.max(0, props.width - 2);
  // One cell for the selection marker, so selection reads without colour too.
  const laid = useMemo(() => layoutColumns(props.columns, Math.max(0, inner - 1)), [props.columns, inner]);
  const listHeight = Math.max(0, props.height - 3);
  const visible = props.rows.slice(0, listHeight);
  const header = ' ' + laid.map((c) => fit(c.title, c.width, c.align)).join(' ');
  const border = props.focused ? theme.color('focus') : undefined;
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      <Text color={border} bold={props.focused} wrap="truncate">
        {topBorder(props, inner)}
      </Text>
      <Box
        // Remounted when focus changes: Ink re-applies a changed borderStyle without borderTop={false}.
        key={props.focused ? 'focused' : 'plain'}
        flexDirection="column"
        borderStyle={props.focused ? 'bold' : 'single'}
        borderTop={false}
        borderColor={border}
        width={props.width}
        height={props.height - 1}
        overflow="hidden"
      >
        <Text bold wrap="truncate">
          {fit(header, inner)}
        </Text>
        {visible.length === 0 ? (
          <Text color={theme.color('muted')} wrap="truncate">
            {fit(' ' + props.emptyText, inner)}
          </Text>
        ) : (
          visible.map((row, i) => (
            <RowLine
              key={row.key}
              row={row}
              columns={laid}
              width={inner}
              selected={props.focused && props.offset + i === props.selected}
              theme={theme}
            />
          ))
        )}
      </Box>
    </Box>
  );
}

function topBorder(props: PaneProps, inner: number): string {
  const [corner, line, end] = props.focused ? ['┏', '━', '┓'] : ['┌', '─', '┐'];
  const marker = props.focused ? '▶' : '';
  const filtering = Boolean(props.filter || props.editingFilter);
  // Position within what is shown; with a filter, out of how many in all.
  const position =
    (props.count > 0
      ? ` ${Math.min(props.selected + 1, props.count)}/${props.count}`
      : filtering
        ? ' 0'
        : '') + (filtering ? ` of ${props.total}` : '');
  const filter = filtering ? ` /${props.filter}${props.editingFilter ? '▏' : ''}` : '';
  const title =
    fit(` ${marker}${props.number} ${props.title}${filter}${position} `, Math.max(0, inner - 1)).trimEnd() +
    ' ';
  return corner + line + title + line.repeat(Math.max(0, inner - 1 - [...title].length)) + end;
}

interface RowLineProps {
  row: PaneRow;
  columns: readonly LaidOutColumn[];
  width: number;
  selected: boolean;
  theme: Theme;
}

/** One table row; memoized, so an unchanged row costs nothing on the next frame. */
const RowLine = memo(function RowLine({ row, columns, width, selected, theme }: RowLineProps) {
  return (
    <Text wrap="truncate" inverse={selected && !theme.noColor}>
      {selected ? '›' : ' '}
      {columns.map((column, i) => {
        const cell = row.cells[column.index];
        const text = fit(cell?.text ?? '', column.width, column.align) + (i < columns.length - 1 ? ' ' : '');
        const color = cell?.role ? theme.color(cell.role) : undefined;
        return (
          <Text key={column.index} color={color}>
            {text}
          </Text>
        );
      })}
      {' '.repeat(
        Math.max(0, width - 1 - columns.reduce((s, c) => s + c.width, 0) - Math.max(0, columns.length - 1)),
      )}
    </Text>
  );
});
