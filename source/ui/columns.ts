/** A table column: fixed width, or flexible with a minimum; optional columns go first when narrow. */
export interface ColumnSpec {
  title: string;
  width?: number;
  min?: number;
  flex?: number;
  align?: 'left' | 'right';
  /** Lower is dropped first when the pane is too narrow (undefined = never dropped). */
  dropOrder?: number;
  /**
   * A name column (container, policy, image): when its texts do not fit, the prefix they all share is
   * cut first, then the middle, so the distinguishing part stays visible.
   */
  name?: boolean;
}

export interface LaidOutColumn {
  index: number;
  title: string;
  width: number;
  align: 'left' | 'right';
  cut: 'end' | 'middle';
  /** Cut from the start of every cell of this column (replaced by "…"), when it helps them fit. */
  prefix: string;
}

/**
 * Column widths for a pane `width` cells wide, one space between columns. Flexible columns share the
 * room by what they hold (`content`: the widest cell of each column, title included): each gets its
 * minimum, then room goes to the columns whose content is cut, in proportion to their flex, and
 * what is left after every content fits goes to the last flexible column.
 */
export function layoutColumns(
  specs: readonly ColumnSpec[],
  width: number,
  content: readonly number[] = [],
  /** Drop at least this many optional columns (to give a name column room). */
  forceDrop = 0,
): LaidOutColumn[] {
  let active = specs.map((spec, index) => ({ spec, index }));
  const need = (cols: typeof active) =>
    cols.reduce((sum, c) => sum + (c.spec.width ?? c.spec.min ?? 4), 0) + Math.max(0, cols.length - 1);
  const droppable = active
    .filter((c) => c.spec.dropOrder !== undefined)
    .sort((a, b) => (a.spec.dropOrder ?? 0) - (b.spec.dropOrder ?? 0));
  while ((need(active) > width || specs.length - active.length < forceDrop) && droppable.length > 0) {
    const drop = droppable.shift()!;
    active = active.filter((c) => c !== drop);
  }
  const fixed = active.reduce((sum, c) => sum + (c.spec.flex ? 0 : (c.spec.width ?? 4)), 0);
  const gaps = Math.max(0, active.length - 1);
  const flexCols = active.filter((c) => c.spec.flex);
  const widths = new Map<number, number>();
  let free = Math.max(0, width - fixed - gaps);
  for (const c of flexCols) {
    // A column whose content is narrower than its minimum gives the difference to the others.
    const w = Math.min(c.spec.min ?? 1, content[c.index] ?? Number.MAX_SAFE_INTEGER, free);
    widths.set(c.index, w);
    free -= w;
  }
  // Without content (no rows yet), every flexible column wants the whole width: plain flex shares.
  const wants = (c: (typeof flexCols)[number]) => content[c.index] ?? Number.MAX_SAFE_INTEGER;
  for (let hungry = flexCols.filter((c) => wants(c) > widths.get(c.index)!); free > 0 && hungry.length > 0;) {
    const totalFlex = hungry.reduce((sum, c) => sum + (c.spec.flex ?? 1), 0);
    let given = 0;
    for (const c of hungry) {
      const share = Math.max(1, Math.floor((free * (c.spec.flex ?? 1)) / totalFlex));
      const current = widths.get(c.index)!;
      const add = Math.min(share, wants(c) - current, free - given);
      if (add <= 0) continue;
      widths.set(c.index, current + add);
      given += add;
    }
    free -= given;
    if (given === 0) break;
    hungry = hungry.filter((c) => wants(c) > widths.get(c.index)!);
  }
  const last = flexCols.at(-1);
  if (last && free > 0) widths.set(last.index, widths.get(last.index)! + free);
  return active.map((c) => ({
    index: c.index,
    title: c.spec.title,
    width: c.spec.flex ? (widths.get(c.index) ?? 0) : (c.spec.width ?? 4),
    align: c.spec.align ?? 'left',
    cut: c.spec.name ? 'middle' : 'end',
    prefix: '',
  }));
}
