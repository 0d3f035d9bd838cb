/** A table column: fixed width, or flexible with a minimum; optional columns go first when narrow. */
export interface ColumnSpec {
  title: string;
  width?: number;
  min?: number;
  flex?: number;
  align?: 'left' | 'right';
  /** Lower is dropped first when the pane is too narrow (undefined = never dropped). */
  dropOrder?: number;
}

export interface LaidOutColumn {
  index: number;
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** Column widths for a pane `width` cells wide, one space between columns. */
export function layoutColumns(specs: readonly ColumnSpec[], width: number): LaidOutColumn[] {
  let active = specs.map((spec, index) => ({ spec, index }));
  const need = (cols: typeof active) =>
    cols.reduce((sum, c) => sum + (c.spec.width ?? c.spec.min ?? 4), 0) + Math.max(0, cols.length - 1);
  const droppable = active
    .filter((c) => c.spec.dropOrder !== undefined)
    .sort((a, b) => (a.spec.dropOrder ?? 0) - (b.spec.dropOrder ?? 0));
  while (need(active) > width && droppable.length > 0) {
    const drop = droppable.shift()!;
    active = active.filter((c) => c !== drop);
  }
  const fixed = active.reduce((sum, c) => sum + (c.spec.flex ? 0 : (c.spec.width ?? 4)), 0);
  const gaps = Math.max(0, active.length - 1);
  const flexCols = active.filter((c) => c.spec.flex);
  const totalFlex = flexCols.reduce((sum, c) => sum + (c.spec.flex ?? 0), 0);
  let free = Math.max(0, width - fixed - gaps);
  const widths = new Map<number, number>();
  flexCols.forEach((c, i) => {
    const share =
      i === flexCols.length - 1
        ? free
        : Math.floor(((width - fixed - gaps) * (c.spec.flex ?? 0)) / totalFlex);
    const w = Math.max(Math.min(c.spec.min ?? 1, free), Math.min(share, free));
    widths.set(c.index, w);
    free -= w;
  });
  return active.map((c) => ({
    index: c.index,
    title: c.spec.title,
    width: c.spec.flex ? (widths.get(c.index) ?? 0) : (c.spec.width ?? 4),
    align: c.spec.align ?? 'left',
  }));
}
