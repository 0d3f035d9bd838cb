/**
 * A JSON document as the lines of a foldable tree (the Inspect view): every object and array is a
 * node that can be folded to one summary line (`"Config": {…} 12 keys`). Pure: the view keeps the
 * set of folded nodes and a cursor, and asks for the lines again after each change.
 */

/** A JSON pointer (RFC 6901): '' is the root, '/State/Health', '/Config/Env/0'. */
export type NodePath = string;

export interface JsonNode {
  path: NodePath;
  /** The member name or array index this node has in its parent (undefined: the root). */
  key: string | number | undefined;
  kind: 'object' | 'array' | 'value';
  /** Leaves: the value as JSON text ("running", 0, true, null). */
  text: string;
  children: JsonNode[];
  depth: number;
}

export interface JsonTree {
  root: JsonNode;
  byPath: ReadonlyMap<NodePath, JsonNode>;
  /** Every node in document order (the order find steps through). */
  order: readonly JsonNode[];
}

export interface TreeLine {
  /** The node's path, or the path + closeSuffix for the line that closes an open node. */
  id: string;
  node: NodePath;
  depth: number;
  text: string;
  /** An object or array with something in it: Enter folds or unfolds it. */
  foldable: boolean;
  folded: boolean;
}

export const closeSuffix = '#end';

/** The node a line belongs to: an open node's closing bracket line is the node's too. */
export function nodeOfLine(id: string): NodePath {
  return id.endsWith(closeSuffix) ? id.slice(0, -closeSuffix.length) : id;
}

const escapeKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

export function buildTree(value: unknown): JsonTree {
  const byPath = new Map<NodePath, JsonNode>();
  const order: JsonNode[] = [];
  const visit = (v: unknown, path: NodePath, key: string | number | undefined, depth: number): JsonNode => {
    const kind = Array.isArray(v) ? 'array' : v !== null && typeof v === 'object' ? 'object' : 'value';
    const node: JsonNode = {
      path,
      key,
      kind,
      text: kind === 'value' ? leafText(v) : '',
      children: [],
      depth,
    };
    byPath.set(path, node);
    order.push(node);
    if (Array.isArray(v))
      v.forEach((item, i) => node.children.push(visit(item, `${path}/${i}`, i, depth + 1)));
    else if (kind === 'object')
      for (const [k, item] of Object.entries(v as Record<string, unknown>))
        node.children.push(visit(item, `${path}/${escapeKey(k)}`, k, depth + 1));
    return node;
  };
  const root = visit(value, '', undefined, 0);
  return { root, byPath, order };
}

function leafText(v: unknown): string {
  // undefined and functions cannot come from JSON; a caller's object might still hold them.
  return JSON.stringify(v) ?? String(v);
}

function isFoldable(node: JsonNode): boolean {
  return node.kind !== 'value' && node.children.length > 0;
}

/** Big top-level sections start folded so the document fits a screen; State is what one looks for first. */
export function initialFolds(tree: JsonTree, open: readonly string[] = ['State']): Set<NodePath> {
  return new Set(
    tree.root.children.filter((c) => isFoldable(c) && !open.includes(String(c.key))).map((c) => c.path),
  );
}

/** Every node that can fold, but the root (folding the root would leave one line and nothing to open). */
export function allFolds(tree: JsonTree): Set<NodePath> {
  return new Set(tree.order.filter((n) => n !== tree.root && isFoldable(n)).map((n) => n.path));
}

export function foldSummary(node: JsonNode): string {
  const n = node.children.length;
  return node.kind === 'array'
    ? `[…] ${n} ${n === 1 ? 'item' : 'items'}`
    : `{…} ${n} ${n === 1 ? 'key' : 'keys'}`;
}

/** The tree as lines, folded nodes as one summary line each; JSON punctuation kept so it reads as JSON. */
export function treeLines(tree: JsonTree, folded: ReadonlySet<NodePath>): TreeLine[] {
  const lines: TreeLine[] = [];
  const walk = (node: JsonNode, last: boolean) => {
    const indent = '  '.repeat(node.depth);
    const label = typeof node.key === 'string' ? `${JSON.stringify(node.key)}: ` : '';
    const comma = last ? '' : ',';
    const base = { node: node.path, depth: node.depth };
    if (node.kind === 'value' || node.children.length === 0) {
      const text = node.kind === 'value' ? node.text : node.kind === 'array' ? '[]' : '{}';
      lines.push({
        ...base,
        id: node.path,
        text: indent + label + text + comma,
        foldable: false,
        folded: false,
      });
      return;
    }
    const [open, close] = node.kind === 'array' ? ['[', ']'] : ['{', '}'];
    if (folded.has(node.path) && node !== tree.root) {
      lines.push({
        ...base,
        id: node.path,
        text: `${indent}${label}${foldSummary(node)}${comma}`,
        foldable: true,
        folded: true,
      });
      return;
    }
    lines.push({ ...base, id: node.path, text: indent + label + open, foldable: true, folded: false });
    node.children.forEach((child, i) => walk(child, i === node.children.length - 1));
    lines.push({
      ...base,
      id: node.path + closeSuffix,
      text: indent + close + comma,
      foldable: true,
      folded: false,
    });
  };
  walk(tree.root, true);
  return lines;
}

/** The paths of a node's ancestors, root first, the node itself not included. */
export function ancestorsOf(path: NodePath): NodePath[] {
  const parts = path.split('/').slice(1);
  return parts.slice(0, -1).map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}

/** Unfold what hides a node, so a find can show it. */
export function reveal(folded: ReadonlySet<NodePath>, path: NodePath): Set<NodePath> {
  const next = new Set(folded);
  for (const a of ancestorsOf(path)) next.delete(a);
  return next;
}

/**
 * The line a cursor on `id` is on now: itself, or (once an ancestor folded it away) the nearest
 * ancestor that is visible, so folding never throws the cursor somewhere else.
 */
export function lineIndexOf(lines: readonly TreeLine[], id: string): number {
  const exact = lines.findIndex((l) => l.id === id);
  if (exact >= 0) return exact;
  const node = nodeOfLine(id);
  for (const a of [node, ...ancestorsOf(node).reverse()]) {
    const i = lines.findIndex((l) => l.id === a);
    if (i >= 0) return i;
  }
  return 0;
}

/** Nodes whose member name or leaf value holds `query` (case-insensitive), in document order. */
export function findNodes(tree: JsonTree, query: string): NodePath[] {
  const needle = query.toLowerCase();
  if (!needle) return [];
  return tree.order
    .filter((n) => {
      const key = typeof n.key === 'string' ? n.key : '';
      const value =
        n.kind === 'value' ? (n.text.startsWith('"') ? (JSON.parse(n.text) as string) : n.text) : '';
      return key.toLowerCase().includes(needle) || value.toLowerCase().includes(needle);
    })
    .map((n) => n.path);
}

/** The match after (or before) the node at `from` in document order, wrapping around. */
export function stepMatch(
  tree: JsonTree,
  matches: readonly NodePath[],
  from: NodePath,
  direction: 1 | -1,
  inclusive = false,
): NodePath | undefined {
  if (matches.length === 0) return undefined;
  const index = new Map(tree.order.map((n, i) => [n.path, i]));
  const at = index.get(from) ?? 0;
  const positions = matches.map((m) => ({ m, i: index.get(m) ?? 0 }));
  if (direction === 1) {
    const next = positions.find((p) => (inclusive ? p.i >= at : p.i > at));
    return (next ?? positions[0])!.m;
  }
  const previous = [...positions].reverse().find((p) => (inclusive ? p.i <= at : p.i < at));
  return (previous ?? positions[positions.length - 1])!.m;
}

/** How a node's path reads to people: `.Config.Env[0]`, `.Config.Labels["com.example/x"]`. */
export function displayPath(tree: JsonTree, path: NodePath): string {
  if (path === '') return '.';
  return [...ancestorsOf(path), path]
    .map((p) => tree.byPath.get(p)?.key)
    .map((key) =>
      typeof key === 'number'
        ? `[${key}]`
        : key !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key)}]`,
    )
    .join('');
}
