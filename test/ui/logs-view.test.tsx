import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { LogLine } from '../../source/domain/log-line.js';
import { FakeEngine, alert, alertView, container, emptySnapshot } from '../helpers/fake-engine.js';
import { keys, renderTui, tick } from './render-tui.js';

afterEach(() => cleanup());

const api = container('api-2');
const web = container('web-1');
const base = Date.UTC(2026, 11, 2, 5, 0, 0, 0);

function line(i: number, text: string, stream: LogLine['stream'] = 'stdout'): LogLine {
  const ms = base + i * 1000 + 7;
  return { time: new Date(ms).toISOString(), ms, stream, text };
}

/** HH:MM:SS.mmm of a line, in local time as the view shows it. */
function clock(i: number): string {
  const d = new Date(base + i * 1000 + 7);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.007`;
}

function engine() {
  return new FakeEngine(
    emptySnapshot({
      containers: [api, web],
      alerts: [alertView(alert('a1', { time: new Date(base + 20_000).toISOString() }), web)],
    }),
  );
}

/** Lines in the frame that show log text (the time column), for "only these" assertions. */
function logRows(frame: string): string[] {
  return frame.split('\n').filter((l) => /\d\d:\d\d:\d\d\.\d{3}/.test(l));
}

describe('logs view (l)', () => {
  it('opens on the selected container, follows its lines with time and a stderr mark, and closes with Esc', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('l');
    expect(fake.follows).toHaveLength(1);
    expect(fake.follows[0]).toMatchObject({ container: api.id, options: { tail: 1000 }, stopped: false });
    expect(t.frame()).toContain('Logs: api-2 · following');
    fake.pushLog(api.id, line(1, 'hello from api'), line(2, 'disk almost full', 'stderr'));
    await tick(150);
    await t.press();
    const rows = logRows(t.frame());
    expect(rows.find((r) => r.includes('hello from api'))).toContain(`${clock(1)}     hello from api`);
    expect(rows.find((r) => r.includes('disk almost full'))).toContain(`${clock(2)} err disk almost full`);
    expect(t.frame()).toContain('● following · 2 lines');
    // Lines that come later are shown too: the view follows.
    fake.pushLog(api.id, line(3, 'third line'));
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('third line');
    await t.press(keys.escape);
    expect(t.frame()).not.toContain('Logs: api-2');
    expect(t.frame()).toContain('Containers');
    expect(fake.follows[0]!.stopped).toBe(true);
  });

  it('/ filters while lines keep coming; n/N jump between matches; & shows only matching lines', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('l');
    fake.pushLog(
      api.id,
      ...Array.from({ length: 60 }, (_, i) =>
        line(i, i % 10 === 3 ? `request ${i} ERROR timeout` : `request ${i} ok`),
      ),
    );
    await tick(150);
    await t.press('/', 'e', 'r', 'r');
    // Incremental: the count follows what is typed, before Enter.
    expect(t.frame()).toContain('/err▏ 6 matching · Enter applies · Esc cancels');
    // A line that arrives while typing counts too.
    fake.pushLog(api.id, line(61, 'late error here'));
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('/err▏ 7 matching');
    await t.press(keys.enter);
    expect(t.frame()).toContain('7 matching err');
    // N from the newest end: the newest match, the view stops following.
    await t.press('N');
    expect(t.frame()).toContain('‖ paused (f/G resumes)');
    expect(t.frame()).toContain('(7/7)');
    expect(logRows(t.frame()).find((r) => r.includes('›'))).toContain('late error here');
    await t.press('N');
    expect(t.frame()).toContain('(6/7)');
    expect(logRows(t.frame()).find((r) => r.includes('›'))).toContain('request 53 ERROR timeout');
    await t.press('n', 'n');
    expect(t.frame()).toContain('(1/7)');
    expect(t.frame()).toContain('past the newest match: back at the oldest');
    expect(logRows(t.frame()).find((r) => r.includes('›'))).toContain('request 3 ERROR timeout');
    // Only matching lines.
    await t.press('&');
    const rows = logRows(t.frame());
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => /error/i.test(r))).toBe(true);
    expect(t.frame()).toContain('only matching shown');
    await t.press('&');
    expect(logRows(t.frame()).length).toBeGreaterThan(7);
    // G follows again, at the newest line.
    await t.press('G');
    expect(t.frame()).toContain('● following');
    expect(logRows(t.frame()).at(-1)).toContain('late error here');
  });

  it('a bad regex is said in the prompt, not applied, and nothing crashes; Esc keeps the old pattern', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('l');
    fake.pushLog(api.id, line(1, 'alpha 1'), line(2, 'beta 22'), line(3, 'alpha 333'));
    await tick(150);
    await t.press('/', ...'/a(/', keys.enter);
    expect(t.frame()).toMatch(/\/\/a\(\/▏ invalid regex: .*Unterminated group/);
    // Still editing: fix it.
    await t.press(keys.backspace, keys.backspace, '+', 'l', '/', keys.enter);
    expect(t.frame()).toContain('2 matching /a+l/');
    await t.press('/', 'x', 'y', 'z', keys.escape);
    expect(t.frame()).toContain('2 matching /a+l/');
    // `!` inverts: only lines without the pattern.
    await t.press('/', keys.backspace, keys.backspace, keys.backspace, keys.backspace, keys.backspace);
    await t.press(...'!alpha', keys.enter, '&');
    const rows = logRows(t.frame());
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('beta 22');
  });

  it('f pauses: new lines do not move the view; k scrolls up; an unbound key says what the keys are', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 20 });
    await t.press('l');
    fake.pushLog(api.id, ...Array.from({ length: 40 }, (_, i) => line(i, `row-${i}`)));
    await tick(150);
    await t.press('f');
    expect(t.frame()).toContain('‖ paused (f/G resumes)');
    const before = logRows(t.frame());
    fake.pushLog(api.id, line(41, 'row-new'));
    await tick(150);
    await t.press();
    expect(logRows(t.frame())).toEqual(before);
    expect(t.frame()).toContain('1 below');
    await t.press('k');
    expect(logRows(t.frame())[0]).not.toEqual(before[0]);
    await t.press('Z');
    expect(t.frame()).toContain('Z does nothing in the logs: / search');
    await t.press('f');
    expect(logRows(t.frame()).at(-1)).toContain('row-new');
  });

  it('from an alert: asks for the minutes before it, starts at its time, and marks the lines within ±5 s', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('2', 'l');
    expect(fake.follows[0]).toMatchObject({
      container: web.id,
      options: { tail: 5000, since: new Date(base + 20_000 - 300_000).toISOString() },
    });
    fake.pushLog(web.id, ...Array.from({ length: 60 }, (_, i) => line(i, `tick ${i}`)));
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('alert at');
    expect(t.frame()).toContain('‖ paused (f/G resumes)');
    const marked = logRows(t.frame()).filter((r) => r.includes('▌') && r.includes('tick'));
    // Lines at 15…24 s (the alert at 20 s; each line at i s + 7 ms, so 25 s is 5.007 s away).
    expect(marked.map((r) => /tick (\d+)/.exec(r)![1])).toEqual([
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
      '24',
    ]);
  });

  it('from an alert, history that comes in several batches: it waits for a line of the alert time', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('2', 'l');
    // The first batch is all older than the window: the view keeps following, nothing revealed.
    fake.pushLog(web.id, ...Array.from({ length: 5 }, (_, i) => line(i, `tick ${i}`)));
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('● following');
    fake.pushLog(web.id, ...Array.from({ length: 55 }, (_, i) => line(i + 5, `tick ${i + 5}`)));
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('‖ paused');
    expect(logRows(t.frame()).find((r) => r.includes('▌') && r.includes('tick'))).toContain('tick 15');
  });

  it('says why the stream ended (an error in words), and the help lists the logs keys', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('l');
    fake.endLogs(api.id, 'logs: api-2: engine unreachable', true);
    await tick(150);
    await t.press();
    expect(t.frame()).toContain('logs: api-2: engine unreachable');
    await t.press('q');
    expect(t.frame()).not.toContain('Logs: api-2');
    const tall = await renderTui(engine(), { columns: 100, rows: 90 });
    await tall.press('?');
    expect(tall.frame()).toContain('In the logs view (l)');
    expect(tall.frame()).toMatch(/&\s+show only the matching lines/);
  });

  it('w wraps a long line onto rows of its own (time on the first only), and cuts it again', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 60, rows: 24 });
    await t.press('l');
    const long = Array.from({ length: 12 }, (_, i) => `word${i}`).join('-') + '-END';
    fake.pushLog(api.id, line(1, long), line(2, 'short'));
    await tick(150);
    await t.press();
    // Cut: the end of the line is not on screen.
    expect(t.frame()).not.toContain('-END');
    await t.press('w');
    const frame = t.frame();
    expect(frame).toContain('· wrap');
    const rows = frame.split('\n');
    const first = rows.findIndex((r) => r.includes('word0'));
    const col = rows[first]!.indexOf('word0');
    // The continuation rows have no time, and their text lines up under the first row's: read back
    // column by column, the rows give the whole line.
    expect(rows[first + 1]).not.toMatch(/\d\d:\d\d:\d\d/);
    const text = rows
      .slice(first, first + 3)
      .map((r) => r.slice(col).replace(/┃\s*$/, '').trimEnd())
      .join('');
    expect(text).toBe(long);
    await t.press('w');
    expect(t.frame()).not.toContain('-END');
  });

  it('keeps a bounded ring: the oldest lines go and are counted', async () => {
    const fake = engine();
    const t = await renderTui(fake, { columns: 100, rows: 30 });
    await t.press('l');
    fake.pushLog(api.id, ...Array.from({ length: 5200 }, (_, i) => line(i, `n${i}`)));
    await tick(200);
    await t.press();
    expect(t.frame()).toContain('5000 lines');
    expect(t.frame()).toContain('200 dropped (keeps 5000)');
    await t.press('g');
    expect(logRows(t.frame())[0]).toContain('n200');
  });
});
