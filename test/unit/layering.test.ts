import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 16.3: lower layers never reach up into the CLI or the UI, and no module imports itself
// back through others at run time. Layering counts every import (type-only too); cycles count
// the imports that exist at run time (a type-only import is erased).
const root = fileURLToPath(new URL('../../source/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const files = sourceFiles(root);
const imports = new Map<string, string[]>();
const runtimeImports = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(
      /(import\s+type\b[^;]*?|export\s+type\b[^;]*?)?(?:from\s+|import\s*\(\s*)'(\.{1,2}\/[^']+)'/g,
    ),
  ].map((m) => ({
    typeOnly: m[1] !== undefined,
    target: resolveTs(path.resolve(path.dirname(file), m[2]!).replace(/\.js$/, '')),
  }));
  imports.set(
    file,
    found.map((f) => f.target),
  );
  runtimeImports.set(
    file,
    found.filter((f) => !f.typeOnly).map((f) => f.target),
  );
}

function resolveTs(base: string): string {
  return files.find((f) => f === `${base}.ts` || f === `${base}.tsx`) ?? base;
}

const layer = (file: string) => path.relative(root, file).split(path.sep)[0]!;

describe('layering', () => {
  it('config, enforce, policy, docker, intake, journal, domain import neither commands/ nor ui/', () => {
    const lower = new Set(['config', 'enforce', 'policy', 'docker', 'intake', 'journal', 'domain']);
    const offending: string[] = [];
    for (const [file, targets] of imports) {
      if (!lower.has(layer(file))) continue;
      for (const target of targets)
        if (['commands', 'ui'].includes(layer(target)))
          offending.push(`${path.relative(root, file)} → ${path.relative(root, target)}`);
    }
    expect(offending).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cyclesOf(runtimeImports)).toEqual([]);
  });

  it('ui/ has no cycle even through type-only imports (run-tui ↔ start-tui was one)', () => {
    const ui = new Map([...imports].filter(([file]) => layer(file) === 'ui'));
    expect(cyclesOf(ui)).toEqual([]);
  });
});

function cyclesOf(graph: Map<string, string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'active');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'active')
        cycles.push(
          [...stack.slice(stack.indexOf(target)), target].map((f) => path.relative(root, f)).join(' → '),
        );
      else if (!state.has(target) && graph.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}
