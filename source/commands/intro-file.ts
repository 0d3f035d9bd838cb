import { readFile } from 'node:fs/promises';
import type { DetailLine } from '../ui/details.js';
import { CliError, exitCodes } from './exit-codes.js';

/**
 * BRIG_INTRO_FILE: a text shown over the panes at start until a key is pressed (the demo explains
 * itself there, instead of on a terminal the TUI then covers). A first line `# Title` is its title.
 */
export async function readIntroFile(file: string): Promise<{ title: string; lines: DetailLine[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`brig: BRIG_INTRO_FILE=${file}: ${(error as Error).message}`, exitCodes.usage);
  }
  const lines = text.replace(/\n+$/, '').split('\n');
  const heading = /^#\s+(.+)$/.exec(lines[0] ?? '');
  if (heading) lines.shift();
  return {
    title: heading?.[1]?.trim() ?? 'Brig',
    lines: lines.map((line) =>
      /^#\s/.test(line) ? { text: line.replace(/^#\s+/, ''), bold: true } : { text: line },
    ),
  };
}
