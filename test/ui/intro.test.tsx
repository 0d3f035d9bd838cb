import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';
import { renderTui } from './render-tui.js';

afterEach(() => cleanup());

const intro = {
  title: 'Brig demo',
  lines: [
    { text: 'Four demo containers on a private Docker engine.' },
    { text: 'What to try', bold: true },
    { text: 'Press n to step through the queue, y to approve.' },
    { text: 'Any key closes this.' },
  ],
};

describe('the introduction (BRIG_INTRO_FILE) inside the TUI', () => {
  for (const [columns, rows] of [
    [120, 40],
    [70, 20],
  ] as const)
    it(`shows over the panes at ${columns}×${rows} with a whole frame, and any key closes it`, async () => {
      const t = await renderTui(new FakeEngine(emptySnapshot({ containers: [container('web-1')] })), {
        columns,
        rows,
        intro,
      });
      const lines = t.frame().split('\n');
      expect(lines).toHaveLength(rows);
      const top = lines.find((l) => l.includes('Brig demo'))!;
      expect(top.startsWith('┏') && top.endsWith('┓')).toBe(true);
      expect(t.frame()).toContain('Press n to step through the queue, y to approve.');
      expect(t.frame()).not.toContain('web-1');
      await t.press(' ');
      expect(t.frame()).not.toContain('Brig demo');
      expect(t.frame()).toContain('web-1');
      // The closing key did nothing else.
      expect(t.frame()).not.toContain('does nothing');
    });
});
