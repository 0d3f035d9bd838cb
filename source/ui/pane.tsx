import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { layoutColumns, type ColumnSpec, type LaidOutColumn } from './columns.js';
import { cellWidth, commonPrefix, fit, topLine } from './format.js';
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
  const listHeight = Math.max(0, props.height - 3);
  const visible = props.rows.slice(0, listHeight);
  // Widths follow what the rows on screen hold; keyed by those widths, so an unchanged table keeps
  // its column objects and the memoized rows do not re-render.
  const fitting = fitToContent(props.columns, visible, Math.max(0, inner - 1));
  const laid = useMemo(() => fitting.laid, [fitting.key]);
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

/**
 * Lays the columns out by content. Name columns that overflow lose the prefix their rows share; if
 * one that is always shown (a container name) is still cut, the first optional column makes room.
 */
function fitToContent(
  specs: readonly ColumnSpec[],
  rows: readonly PaneRow[],
  width: number,
): { laid: LaidOutColumn[]; key: string } {
  const raw = specs.map((spec, i) =>
    rows.reduce((max, row) => Math.max(max, cellWidth(row.cells[i]?.text ?? '')), cellWidth(spec.title)),
  );
  const prefixes = specs.map((spec, i) => {
    if (!spec.name) return '';
    const prefix = commonPrefix(rows.map((row) => row.cells[i]?.text ?? ''));
    return prefix;
  });
  const stripped = raw.map((w, i) =>
    prefixes[i]
      ? rows.reduce(
          (max, row) => Math.max(max, cellWidth(row.cells[i]?.text ?? '') - prefixes[i]!.length + 1),
          cellWidth(specs[i]!.title),
        )
      : w,
  );
  // At most the least important optional column gives way to a name: the rest carry facts too.
  const optional = Math.min(1, specs.filter((s) => s.dropOrder !== undefined).length);
  let laid: LaidOutColumn[] = [];
  for (let drop = 0; drop <= optional; drop += 1) {
    laid = layoutColumns(specs, width, raw, drop);
    // Cut the shared prefix only where the full names do not fit.
    const content = raw.map((w, i) => {
      const column = laid.find((c) => c.index === i);
      return column && w > column.width ? stripped[i]! : w;
    });
    laid = layoutColumns(specs, width, content, drop).map((c) => ({
      ...c,
      prefix: raw[c.index]! > c.width ? (prefixes[c.index] ?? '') : '',
    }));
    const cut = laid.some(
      (c) => specs[c.index]!.name && specs[c.index]!.dropOrder === undefined && content[c.index]! > c.width,
    );
    if (!cut) break;
  }
  return { laid, key: `${width}:${laid.map((c) => `${c.index}=${c.width}${c.prefix}`).join(',')}` };
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
  return topLine(corner, line, end, ` ${marker}${props.number} ${props.title}${filter}${position} `, inner);
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
        const raw = cell?.text ?? '';
        const shown =
          column.prefix && raw.startsWith(column.prefix) ? '…' + raw.slice(column.prefix.length) : raw;
        const text = fit(shown, column.width, column.align, column.cut) + (i < columns.length - 1 ? ' ' : '');
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
