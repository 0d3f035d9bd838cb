import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readIntroFile } from '../../source/commands/intro-file.js';

const dir = await mkdtemp(path.join(tmpdir(), 'brig-intro-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('BRIG_INTRO_FILE', () => {
  it('takes the title from a first "# " line and makes later "# " lines headings', async () => {
    const file = path.join(dir, 'intro.txt');
    await writeFile(file, '# Brig demo\nfour containers\n# What to try\npress n\n\n');
    expect(await readIntroFile(file)).toEqual({
      title: 'Brig demo',
      lines: [{ text: 'four containers' }, { text: 'What to try', bold: true }, { text: 'press n' }],
    });
  });

  it('a file that cannot be read is an error naming the variable and the file', async () => {
    const missing = path.join(dir, 'nope.txt');
    await expect(readIntroFile(missing)).rejects.toThrow(`BRIG_INTRO_FILE=${missing}: ENOENT`);
  });
});
