import { getStaticTOMLValue, parseTOML, type AST } from 'toml-eslint-parser';

/**
 * One parse of a TOML text into its value and the line of every key, table header, array-of-tables
 * entry and array element, so a validation error (a zod issue path) can name file:line.
 * toml-eslint-parser gives a spec-complete AST with locations, so no second grammar is kept here.
 */
export type TomlPath = readonly (string | number)[];

export interface TomlDocument {
  value: Record<string, unknown>;
  /** The 1-based line `path` is defined on, or that of its nearest enclosing key. */
  lineOf(path: TomlPath): number | undefined;
}

/** Not TOML: the message (without the parser's excerpt) and its 1-based line when known. */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
    this.name = 'TomlSyntaxError';
  }
}

export function parseTomlDocument(source: string): TomlDocument {
  // A UTF-8 byte order mark (some Windows editors write one) is not part of the first key.
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  let program: AST.TOMLProgram;
  try {
    program = parseTOML(text);
  } catch (error) {
    const e = error as { message?: unknown; index?: unknown };
    const message = String(e.message ?? error);
    throw new TomlSyntaxError(message.charAt(0).toLowerCase() + message.slice(1), errorLine(text, e.index));
  }
  const lines = new Map<string, number>();
  const record = (path: TomlPath, line: number) => {
    const key = keyOf(path);
    if (!lines.has(key)) lines.set(key, line);
  };
  const keyValue = (node: AST.TOMLKeyValue, table: TomlPath) => {
    const path = [...table];
    for (const key of node.key.keys) {
      path.push(key.type === 'TOMLBare' ? key.name : key.value);
      record(path, node.loc.start.line);
    }
    content(node.value, path);
  };
  const content = (node: AST.TOMLContentNode, path: TomlPath) => {
    if (node.type === 'TOMLArray') {
      node.elements.forEach((element, i) => {
        record([...path, i], element.loc.start.line);
        content(element, [...path, i]);
      });
    } else if (node.type === 'TOMLInlineTable') {
      for (const kv of node.body) keyValue(kv, path);
    }
  };
  for (const node of program.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      keyValue(node, []);
      continue;
    }
    const line = node.loc.start.line;
    // [[a]] is a[i]: the array itself is placed at its first header, each entry at its own.
    for (let n = 1; n <= node.resolvedKey.length; n++) record(node.resolvedKey.slice(0, n), line);
    for (const kv of node.body) keyValue(kv, node.resolvedKey);
  }
  return {
    value: getStaticTOMLValue(program) as Record<string, unknown>,
    lineOf(path) {
      for (let n = path.length; n > 0; n--) {
        const line = lines.get(keyOf(path.slice(0, n)));
        if (line !== undefined) return line;
      }
      return undefined;
    },
  };
}

function keyOf(path: TomlPath): string {
  return path.map(String).join('\u0000');
}

/**
 * The line to blame: where the parser stopped, unless that is blank (`name =` then a newline is
 * reported at the next line, or at the end of the text): then the line of the last thing written.
 */
function errorLine(text: string, index: unknown): number | undefined {
  if (typeof index !== 'number' || index < 0) return undefined;
  let at = Math.min(index, text.length);
  if (at === text.length || /\s/.test(text[at]!)) {
    let back = at - 1;
    while (back >= 0 && /\s/.test(text[back]!)) back--;
    if (back >= 0) at = back;
  }
  let line = 1;
  for (let i = 0; i < at; i++) if (text[i] === '\n') line++;
  return line;
}
