import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../source/domain/policy.js';

// Issue 16.7: what a user reads points at what a user has (README sections, `brig schema`),
// never at the design document, which is not in the repository.
const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('user-visible references', () => {
  it('README, vitest.config.ts, scripts/engine.sh and `brig schema` cite no DESIGN §', () => {
    for (const [what, text] of [
      ['README.md', read('README.md')],
      ['vitest.config.ts', read('vitest.config.ts')],
      ['scripts/engine.sh', read('scripts/engine.sh')],
      ['brig schema', JSON.stringify(policyJsonSchema())],
    ] as const)
      expect(text, what).not.toMatch(/DESIGN\s*§/);
  });

  it('README sections they name exist', () => {
    const headings = new Set(
      [...read('README.md').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.replace(/`/g, '').trim()),
    );
    for (const name of ['Policies', 'Configuration', 'Development', 'The private engine', 'Posture audit'])
      expect(headings.has(name), name).toBe(true);
  });
});
