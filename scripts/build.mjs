#!/usr/bin/env node
// The shipped binary: source/cli.tsx and everything it loads (Ink, React, dockerode, zod…) bundled
// into one file, dist/cli.js, written over tsc's entry point (issue 15). Loading ~600 small files
// cost most of the first frame. Split at each `await import()` (ESM chunks, dist/cli-*.js beside
// cli.js): what the first frame does not need (the Engine API client with ssh2 and grpc-js, the
// engine, intake, metrics: ~1.5 MB) is not even read or compiled before it; V8 compiles every byte
// of a module it loads, so one 3.4 MB file cost ~30 ms of CPU more per start (measured, n=7).
// tsc's per-module output (dist/**) stays beside it for the benches and the test helpers.
//
//   node scripts/build.mjs [--metafile]     (after `tsc -p tsconfig.build.json`; `npm run build` does both)
import { build } from 'esbuild';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = path.join(root, 'source');
const outfile = path.join(root, 'dist/cli.js');

/**
 * A module that finds files beside itself (import.meta.url: policies/seccomp/, meow's package.json)
 * sees the URL its tsc output would have (dist/audit/seccomp-files.js, not dist/cli.js), so the same
 * relative paths hold in the bundle and in dist/**.
 */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /\/source\/.*\.tsx?$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      if (text.includes('import.meta.url')) {
        const asBuilt = path
          .relative(path.dirname(outfile), path.join(root, 'dist', path.relative(source, args.path)))
          .replace(/\.tsx?$/, '.js');
        text = text.replaceAll(
          'import.meta.url',
          `new URL(${JSON.stringify(`./${asBuilt}`)}, import.meta.url).href`,
        );
      }
      return { contents: text, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

/** Ink imports it only with DEV=true; not installed, so that import fails as Ink expects it may. */
const noDevtools = {
  name: 'no-devtools',
  setup(b) {
    b.onResolve({ filter: /^react-devtools-core$/ }, () => ({
      path: 'react-devtools-core',
      namespace: 'stub',
    }));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        "throw Object.assign(new Error('react-devtools-core is not bundled'), { code: 'ERR_MODULE_NOT_FOUND' });",
      loader: 'js',
    }));
  },
};

/**
 * The shipped binary carries React's production build only: its entry files choose by NODE_ENV at
 * load time, so the development builds (1.2 MB, several times the CPU per frame) would be compiled
 * on every start for nothing, and picked by anyone whose shell exports NODE_ENV=development.
 */
const reactProduction = {
  name: 'react-production',
  setup(b) {
    b.onLoad({ filter: /\/node_modules\/(react|react-reconciler|scheduler)\/[^/]+\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      return { contents: text.replaceAll("process.env.NODE_ENV === 'production'", 'true'), loader: 'js' };
    });
  },
};

/**
 * Yoga's emscripten loader (built for the web) asks `typeof fetch` before it decodes its wasm, which
 * is inlined as a data: URL. On Node 20 that question alone loads undici (the global fetch is a lazy
 * getter), and fetch then decodes the data: URL the slow way: ~15 ms of every first frame. Taking
 * the loader's own synchronous path instead (it decodes the same base64 itself) loads nothing. A
 * yoga-layout whose loader no longer reads this way fails the build here instead of going unseen.
 */
const yogaNoFetch = {
  name: 'yoga-no-fetch',
  setup(b) {
    b.onLoad(
      { filter: /\/node_modules\/yoga-layout\/dist\/binaries\/yoga-wasm-base64-esm\.js$/ },
      async (args) => {
        const text = await readFile(args.path, 'utf8');
        const asked = 'w||"function"!=typeof fetch?';
        if (text.split(asked).length !== 2)
          throw new Error(`${args.path}: the loader's fetch check changed; see yogaNoFetch`);
        return { contents: text.replace(asked, 'true?'), loader: 'js' };
      },
    );
  },
};

/**
 * meow evaluates normalize-package-data (spdx-correct sorting its licence tables, semver,
 * hosted-git-info) when it is imported, although it calls it only when the package is read
 * (--help, --version): ~15 ms of every start. Here it is evaluated on that first call instead.
 */
const meowLazyNormalize = {
  name: 'meow-lazy-normalize',
  setup(b) {
    b.onLoad({ filter: /\/node_modules\/meow\/build\/dependencies\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager =
        'var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);';
      if (text.split(eager).length !== 2)
        throw new Error(`${args.path}: meow's normalize import changed; see meowLazyNormalize`);
      const lazy =
        'const normalizePackageData = (...a) => getDefaultExportFromCjs(requireNormalize())(...a);';
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

// ConfigSchema's defaults, from tsc's output of config-file.ts (built just before this), inlined for
// a start with no config file (source/config/load-config.ts): the first frame then loads no zod.
const { parseConfig } = await import(pathToFileURL(path.join(root, 'dist/config/config-file.js')).href);
const defaultConfig = parseConfig('', undefined, {});
if (!isDeepStrictEqual(JSON.parse(JSON.stringify(defaultConfig)), defaultConfig))
  throw new Error('the default config is not plain JSON: it cannot be inlined (see load-config.ts)');

// Chunks from an earlier build would linger beside the new ones (their names carry a hash).
for (const name of await readdir(path.join(root, 'dist')).catch(() => [])) {
  if (/^cli-.*\.js(\.map|\.LEGAL\.txt)?$/.test(name)) await rm(path.join(root, 'dist', name));
}

const result = await build({
  entryPoints: [path.join(source, 'cli.tsx')],
  outdir: path.dirname(outfile),
  entryNames: 'cli',
  // Beside cli.js (not in a folder), so the module-urls rewrite holds for every chunk.
  chunkNames: 'cli-[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  legalComments: 'linked',
  metafile: process.argv.includes('--metafile'),
  logLevel: 'warning',
  minifyWhitespace: true,
  // ssh2's optional native crypto and cpu-features: required at run time inside try/catch, and
  // ssh2 falls back to pure JS when they are absent.
  external: ['cpu-features', '*.node'],
  // CommonJS dependencies (dockerode, ssh2, prom-client) call require() for Node's built-ins and
  // read __dirname (ssh2: only to find files on Windows and in its emscripten loader).
  banner: {
    js: [
      "import { createRequire as __brigCreateRequire } from 'node:module';",
      "import { fileURLToPath as __brigFileURLToPath } from 'node:url';",
      'const require = __brigCreateRequire(import.meta.url);',
      'const __filename = __brigFileURLToPath(import.meta.url);',
      // Not `new URL(…)`: a chunk may declare its own top-level `URL` (hoisted, undefined here).
      "import { dirname as __brigDirname } from 'node:path';",
      'const __dirname = __brigDirname(__filename);',
    ].join('\n'),
  },
  // A string literal (JSON text): an object here would be one shared instance, set up in every module.
  define: { BRIG_BUILT_DEFAULT_CONFIG: JSON.stringify(JSON.stringify(defaultConfig)) },
  plugins: [moduleUrls, noDevtools, reactProduction, yogaNoFetch, meowLazyNormalize],
});
if (result.metafile) {
  await writeFile(path.join(root, 'dist/meta.json'), JSON.stringify(result.metafile));
}
