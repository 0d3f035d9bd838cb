import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultKeymap, keysMarkdownTable } from '../../source/ui/keymap.js';

describe('README key table', () => {
  it('is the table generated from the keymap (node scripts/keys-table.mjs)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const match = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme);
    expect(match, 'README.md has no <!-- keys:start --> … <!-- keys:end --> block').not.toBeNull();
    expect(match![1]).toBe(keysMarkdownTable());
  });

  it('lists every binding of the keymap', () => {
    const table = keysMarkdownTable();
    for (const binding of defaultKeymap) expect(table).toContain(`\`${binding.action}\``);
  });
});
