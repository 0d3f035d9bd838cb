import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';
import { keys, renderTui } from './render-tui.js';

afterEach(() => cleanup());

const web = container('web-1', { state: 'paused' });
const api = container('api-2');
const big = { columns: 120, rows: 40 };

describe('E: capture evidence of the selected container (DESIGN §13)', () => {
  it('asks (default No), then sends a capture command for the selected container', async () => {
    const e = new FakeEngine(emptySnapshot({ containers: [web, api] }));
    const t = await renderTui(e, big);
    await t.press('E');
    // The list is sorted by name: api-2 is selected first.
    expect(t.frame()).toContain('Capture evidence of api-2?');
    await t.press(keys.enter);
    await t.press('E', 'n');
    expect(e.commands).toEqual([]);
    await t.press('j', 'E', 'y');
    expect(e.commands).toEqual([{ type: 'capture', container: web.id }]);
  });

  it('lowercase e does not capture, and --read-only refuses E', async () => {
    const e = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t = await renderTui(e, { ...big, readOnly: true });
    await t.press('E', 'y');
    expect(e.commands).toEqual([]);
    const e2 = new FakeEngine(emptySnapshot({ containers: [web] }));
    const t2 = await renderTui(e2, big);
    await t2.press('e', 'y');
    expect(e2.commands.filter((c) => c.type === 'capture')).toEqual([]);
  });
});
