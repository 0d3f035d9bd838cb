/**
 * Which slice of a list a pane shows: the selected row is always visible and the window moves only
 * when the selection leaves it (so rows don't jump under the operator's eyes).
 */
export function listWindow(
  previousOffset: number,
  selected: number,
  count: number,
  height: number,
): { offset: number; end: number } {
  if (height <= 0 || count === 0) return { offset: 0, end: 0 };
  let offset = Math.min(Math.max(0, previousOffset), Math.max(0, count - height));
  if (selected < offset) offset = selected;
  if (selected >= offset + height) offset = selected - height + 1;
  offset = Math.max(0, offset);
  return { offset, end: Math.min(count, offset + height) };
}

export function clampIndex(index: number, count: number): number {
  if (count <= 0) return 0;
  return Math.min(Math.max(0, index), count - 1);
}
