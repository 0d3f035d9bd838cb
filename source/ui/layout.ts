import type { PaneId } from './pane-rows.js';

export interface PaneBox {
  id: PaneId;
  width: number;
  height: number;
}

export interface Layout {
  kind: 'full' | 'compact' | 'too-small';
  /** Rows between the header (and tab bar) and the footer. */
  body: number;
  /** Panes in screen rows (full layout: two rows of two; zoomed or compact: the focused one). */
  grid: PaneBox[][];
  panes: PaneBox[];
}

export const minColumns = 60;
export const minRows = 15;
export const fullColumns = 100;
export const fullRows = 24;

/**
 * The frame is exactly `rows` tall (DESIGN §10): header, body, footer; compact adds a tab bar.
 * Below 100×24 one pane at a time; below 60×15 just a "too small" line.
 */
export function layoutFor(
  columns: number,
  rows: number,
  zoom: boolean,
  focus: PaneId = 'containers',
): Layout {
  if (columns < minColumns || rows < minRows) return { kind: 'too-small', body: 0, grid: [], panes: [] };
  if (columns < fullColumns || rows < fullRows) {
    const body = rows - 3;
    const pane = { id: focus, width: columns, height: body };
    return { kind: 'compact', body, grid: [[pane]], panes: [pane] };
  }
  const body = rows - 2;
  if (zoom) {
    const pane = { id: focus, width: columns, height: body };
    return { kind: 'full', body, grid: [[pane]], panes: [pane] };
  }
  const top = Math.ceil(body / 2);
  const bottom = body - top;
  const left = Math.floor(columns / 2);
  const right = columns - left;
  const grid: PaneBox[][] = [
    [
      { id: 'containers', width: left, height: top },
      { id: 'alerts', width: right, height: top },
    ],
    [
      { id: 'policies', width: left, height: bottom },
      { id: 'actions', width: right, height: bottom },
    ],
  ];
  return { kind: 'full', body, grid, panes: grid.flat() };
}
