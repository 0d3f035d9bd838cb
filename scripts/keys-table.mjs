#!/usr/bin/env node
// Prints the README key table from the built keymap (npm run build first), so the README and the
// help overlay come from the same data. `--check` exits 1 when README.md's table differs; `--write`
// puts the table into README.md between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { keysMarkdownTable } from '../dist/ui/keymap.js';

const table = keysMarkdownTable();
if (process.argv.includes('--check')) {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const m = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme);
  if (!m || m[1] !== table) {
    process.stderr.write(
      'README.md key table is out of date: run node scripts/keys-table.mjs and paste it\n',
    );
    process.exit(1);
  }
} else if (process.argv.includes('--write')) {
  const url = new URL('../README.md', import.meta.url);
  const readme = readFileSync(url, 'utf8');
  const marked = /(<!-- keys:start -->\n)[\s\S]*?(\n<!-- keys:end -->)/;
  if (!marked.test(readme)) {
    process.stderr.write('README.md has no <!-- keys:start --> … <!-- keys:end --> markers\n');
    process.exit(1);
  }
  writeFileSync(
    url,
    readme.replace(marked, (_, start, end) => start + table + end),
  );
} else process.stdout.write(`${table}\n`);
