import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';
import { keys, renderTui } from './render-tui.js';

afterEach(() => cleanup());

const many = Array.from({ length: 40 }, (_, i) => container(`c-${String(i).padStart(2, '0')}`));

describe('keys that arrive in one read (held arrow over SSH, tmux send-keys Down Down Down)', () => {
  it.each([
    ['three Downs', keys.down.repeat(3), '›c-03'],
    ['Downs mixed with j', `${keys.down}j${keys.down}jj`, '›c-05'],
    ['SS3 arrows (application cursor mode)', '\x1bOB\x1bOB', '›c-02'],
    ['End then two Ups', `\x1b[F${keys.up}${keys.up}`, '›c-37'],
    ['two PgDn', keys.pageDown.repeat(2), '›c-28'],
    ['End then Home then Down', `\x1b[F\x1b[H${keys.down}`, '›c-01'],
  ])('%s: every key is applied, in order', async (_what, burst, expected) => {
    const t = await renderTui(new FakeEngine(emptySnapshot({ containers: many })), { columns: 80, rows: 20 });
    await t.press(burst);
    await t.press();
    expect(t.frame()).toContain(expected);
  });
});
