import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Issue 15: the TUI's first frame waits for every module it loads. These are the ones loaded before
// it (cli.tsx, and what run.ts imports on its way to startTui, dynamic imports included); their
// static imports load with them. None may pull in the schemas (zod, ~600 kB compiled per start),
// the Engine API client or the engine: those load behind the first frame.
const root = fileURLToPath(new URL('../../source/', import.meta.url));
const beforeFirstFrame = [
  'cli.tsx',
  'commands/run.ts',
  'ui/keymap.ts',
  'docker/engine-host.ts',
  'ui/start-tui.tsx',
  'ui/run-tui.tsx',
];
const notBeforeFirstFrame = ['zod', 'dockerode', 'toml-eslint-parser', 'prom-client', 'smol-toml'];

/** Static imports that exist at run time: `import type` and `export type` are erased, `import()` waits. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s+(?!type\b)(?:[^;'"]*?\s+from\s+)?'([^']+)'/gm)].map(
    (m) => m[1]!,
  );
}

function resolveSource(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier).replace(/\.js$/, '');
  for (const ext of ['.ts', '.tsx']) {
    try {
      readFileSync(base + ext);
      return base + ext;
    } catch {
      // The other extension.
    }
  }
  throw new Error(`${path.relative(root, from)}: cannot resolve ${specifier}`);
}

/** Every package the first frame's modules load, with the chain of source modules that loads it. */
function packagesLoaded(): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const here = [...chain, path.relative(root, file)];
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) visit(resolveSource(file, specifier), here);
      else if (!specifier.startsWith('node:')) {
        const name = specifier.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, here.join(' → '));
      }
    }
  };
  for (const entry of beforeFirstFrame) visit(path.join(root, entry), []);
  return packages;
}

describe('what the first frame loads (issue 15)', () => {
  it('reads the import graph: Ink and meow are in it', () => {
    const packages = packagesLoaded();
    expect(packages.has('ink')).toBe(true);
    expect(packages.has('meow')).toBe(true);
  });

  it('loads no schemas, no Engine API client, no TOML parser, no metrics before the first frame', () => {
    const packages = packagesLoaded();
    const offending = notBeforeFirstFrame
      .filter((name) => packages.has(name))
      .map((name) => `${name}: ${packages.get(name)}`);
    expect(offending).toEqual([]);
  });
});
