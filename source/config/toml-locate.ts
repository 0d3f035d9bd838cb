/**
 * Where things are in a TOML text, so validation errors (zod issue paths) can name file:line.
 * smol-toml gives values without positions; this is a small scanner that walks the text once and
 * records the line of every key, table header, array-of-tables entry and array element.
 * Best effort by design: a path it cannot place falls back to its nearest enclosing key.
 */

export type TomlPath = readonly (string | number)[];

/** The 1-based line a (zod issue) path points at, or of its nearest enclosing key. */
export function lineOfPath(text: string, path: TomlPath): number | undefined {
  const lines = locateKeys(text);
  for (let n = path.length; n > 0; n--) {
    const line = lines.get(keyOf(path.slice(0, n)));
    if (line !== undefined) return line;
  }
  return undefined;
}

/** A smol-toml syntax error (or any error) as `file:line: message`. */
export function formatTomlError(file: string, error: unknown): string {
  const line = tomlErrorLine(error);
  const raw = error instanceof Error ? error.message : String(error);
  // smol-toml appends a code excerpt after a blank line; the first line is the message.
  const message = (raw.split('\n')[0] ?? raw).replace(/^Invalid TOML document:\s*/, '');
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
}

/** The 1-based line of a smol-toml TomlError, if the error carries one. */
export function tomlErrorLine(error: unknown): number | undefined {
  const line = (error as { line?: unknown } | null)?.line;
  return typeof line === 'number' && line > 0 ? line : undefined;
}

function keyOf(path: TomlPath): string {
  return path.map(String).join('\u0000');
}

/** Every key path in the text → the line it is defined on (first definition wins). */
export function locateKeys(text: string): Map<string, number> {
  // A UTF-8 byte order mark is not part of the first key.
  return new Scanner(text.startsWith('\uFEFF') ? text.slice(1) : text).run();
}

class Scanner {
  private pos = 0;
  private line = 1;
  private readonly found = new Map<string, number>();
  /** Array-of-tables paths (resolved, as keys) → how many entries seen so far. */
  private readonly arrayCounts = new Map<string, number>();
  private table: (string | number)[] = [];

  constructor(private readonly text: string) {}

  run(): Map<string, number> {
    // Any surprise (the text is not valid TOML) just stops the scan: what was found stays useful.
    try {
      while (this.pos < this.text.length) this.statement();
    } catch {
      /* best effort */
    }
    return this.found;
  }

  private record(path: TomlPath, line: number): void {
    const key = keyOf(path);
    if (!this.found.has(key)) this.found.set(key, line);
  }

  private peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }

  private advance(): string {
    const ch = this.text[this.pos++] ?? '';
    if (ch === '\n') this.line++;
    return ch;
  }

  /** Spaces and tabs only (not newlines). */
  private skipInline(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.advance();
  }

  /** Whitespace, newlines and comments: used inside arrays and between statements. */
  private skipAll(): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') this.advance();
      else if (ch === '#') this.skipComment();
      else return;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && this.peek() !== '\n') this.advance();
  }

  private statement(): void {
    this.skipAll();
    if (this.pos >= this.text.length) return;
    if (this.peek() === '[') {
      this.header();
    } else {
      const line = this.line;
      const keys = this.dottedKey();
      this.skipInline();
      if (this.peek() !== '=') throw new Error('expected =');
      this.advance();
      this.skipInline();
      const path = [...this.table];
      for (const key of keys) {
        path.push(key);
        this.record(path, line);
      }
      this.value(path);
    }
    this.skipInline();
    if (this.peek() === '#') this.skipComment();
  }

  private header(): void {
    const line = this.line;
    this.advance();
    const isArray = this.peek() === '[';
    if (isArray) this.advance();
    this.skipInline();
    const keys = this.dottedKey();
    this.skipInline();
    this.advance();
    if (isArray) this.advance();
    // Resolve through earlier arrays of tables: [[a]] then [a.b] means a[last].b.
    const path: (string | number)[] = [];
    keys.forEach((key, i) => {
      path.push(key);
      const count = this.arrayCounts.get(keyOf(path));
      const last = i === keys.length - 1;
      if (last && isArray) {
        const index = count ?? 0;
        this.arrayCounts.set(keyOf(path), index + 1);
        this.record(path, line);
        path.push(index);
      } else if (count !== undefined) {
        path.push(count - 1);
      }
      this.record(path, line);
    });
    this.table = path;
  }

  private dottedKey(): string[] {
    const keys: string[] = [];
    for (;;) {
      this.skipInline();
      keys.push(this.simpleKey());
      this.skipInline();
      if (this.peek() !== '.') return keys;
      this.advance();
    }
  }

  private simpleKey(): string {
    const ch = this.peek();
    if (ch === '"' || ch === "'") return this.string();
    const start = this.pos;
    while (/[A-Za-z0-9_-]/.test(this.peek())) this.advance();
    if (this.pos === start) throw new Error('expected a key');
    return this.text.slice(start, this.pos);
  }

  private value(path: (string | number)[]): void {
    const ch = this.peek();
    if (ch === '"' || ch === "'") {
      this.string();
    } else if (ch === '[') {
      this.array(path);
    } else if (ch === '{') {
      this.inlineTable(path);
    } else {
      // Number, boolean or date: up to a delimiter.
      const start = this.pos;
      while (this.pos < this.text.length && !/[,\]}\n#]/.test(this.peek())) this.advance();
      if (this.pos === start) throw new Error('expected a value');
    }
  }

  private array(path: (string | number)[]): void {
    this.advance();
    for (let index = 0; ; index++) {
      this.skipAll();
      if (this.peek() === ']') break;
      const element = [...path, index];
      this.record(element, this.line);
      this.value(element);
      this.skipAll();
      if (this.peek() === ',') this.advance();
      else if (this.peek() !== ']') throw new Error('expected , or ]');
    }
    this.advance();
  }

  private inlineTable(path: (string | number)[]): void {
    this.advance();
    for (;;) {
      this.skipAll();
      if (this.peek() === '}') break;
      const line = this.line;
      const keys = this.dottedKey();
      this.skipInline();
      if (this.peek() !== '=') throw new Error('expected =');
      this.advance();
      this.skipAll();
      const inner = [...path];
      for (const key of keys) {
        inner.push(key);
        this.record(inner, line);
      }
      this.value(inner);
      this.skipAll();
      if (this.peek() === ',') this.advance();
      else if (this.peek() !== '}') throw new Error('expected , or }');
    }
    this.advance();
  }

  /** A basic, literal or multi-line string; returns its (roughly unescaped) content. */
  private string(): string {
    const quote = this.advance();
    const multi = this.peek() === quote && this.peek(1) === quote;
    if (multi) {
      this.advance();
      this.advance();
    }
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new Error('unterminated string');
      const ch = this.peek();
      if (ch === quote && (!multi || (this.peek(1) === quote && this.peek(2) === quote))) {
        this.advance();
        if (multi) {
          this.advance();
          this.advance();
          // Up to two more quotes may close a multi-line string ("""a""""").
          while (this.peek() === quote) out += this.advance();
        }
        return out;
      }
      if (ch === '\n' && !multi) throw new Error('newline in string');
      if (ch === '\\' && quote === '"') {
        this.advance();
        const escaped = this.advance();
        out += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
        continue;
      }
      out += this.advance();
    }
  }
}
