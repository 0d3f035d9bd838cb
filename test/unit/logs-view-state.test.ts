import { describe, expect, it } from 'vitest';
import {
  initialLogsViewState,
  logsViewReducer,
  windowStart,
  type LogsViewAction,
  type LogsViewState,
  type LogsViewport,
} from '../../source/ui/logs-view-state.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
/** 100 lines, seqs 0…99; every tenth (5, 15, …, 95) matches. */
const view = (overrides: Partial<LogsViewport> = {}): LogsViewport => ({
  shown: range(0, 100),
  matches: range(0, 10).map((i) => i * 10 + 5),
  height: 10,
  ...overrides,
});

function run(...actions: LogsViewAction[]): LogsViewState {
  return actions.reduce(logsViewReducer, initialLogsViewState());
}

const searched = (pattern = 'x') =>
  run({ type: 'search-start' }, ...[...pattern].map((text) => ({ type: 'search-type' as const, text })), {
    type: 'search-apply',
    view: view(),
  });

describe('logs view reducer', () => {
  it('starts following: the window is the newest lines', () => {
    const s = initialLogsViewState();
    expect(s.follow).toBe(true);
    expect(windowStart(s, range(0, 100), 10)).toBe(90);
    expect(windowStart(s, range(0, 4), 10)).toBe(0);
  });

  it('scrolling up pauses following on the lines shown; new lines then do not move it', () => {
    const s = run({ type: 'scroll', by: -3, view: view() });
    expect(s.follow).toBe(false);
    expect(windowStart(s, range(0, 100), 10)).toBe(87);
    // 50 more lines came and 30 old ones were dropped: the same lines are still on screen.
    expect(range(30, 150)[windowStart(s, range(30, 150), 10)]).toBe(87);
  });

  it('scrolling down while following changes nothing; PgUp/PgDn move by a page less one line', () => {
    expect(run({ type: 'scroll', by: 1, view: view() })).toEqual(initialLogsViewState());
    const up = run({ type: 'scroll', by: 'page-up', view: view() });
    expect(windowStart(up, range(0, 100), 10)).toBe(81);
    const down = logsViewReducer(up, { type: 'scroll', by: 'page-down', view: view() });
    expect(windowStart(down, range(0, 100), 10)).toBe(90);
    // At the bottom but still paused: only G or the follow key resume.
    expect(down.follow).toBe(false);
  });

  it('g goes to the oldest line kept; G follows again; a top line since dropped shows the oldest', () => {
    const top = run({ type: 'top', view: view() });
    expect(top).toMatchObject({ follow: false, top: 0 });
    expect(windowStart(top, range(40, 140), 10)).toBe(0);
    expect(logsViewReducer(top, { type: 'bottom' }).follow).toBe(true);
  });

  it('the follow key pauses where the view is and resumes at the bottom', () => {
    const paused = run({ type: 'toggle-follow', view: view() });
    expect(paused).toMatchObject({ follow: false, top: 90 });
    expect(logsViewReducer(paused, { type: 'toggle-follow', view: view() }).follow).toBe(true);
  });

  it('editing: typing builds a draft, Esc restores the applied pattern, Enter applies', () => {
    const typing = run(
      { type: 'search-start' },
      { type: 'search-type', text: 'er' },
      { type: 'search-type', text: 'r' },
    );
    expect(typing).toMatchObject({ draft: 'err', pattern: '' });
    expect(logsViewReducer(typing, { type: 'search-backspace' }).draft).toBe('er');
    expect(logsViewReducer(typing, { type: 'search-cancel' })).toMatchObject({
      draft: undefined,
      pattern: '',
    });
    const applied = logsViewReducer(typing, { type: 'search-apply', view: view() });
    expect(applied).toMatchObject({ draft: undefined, pattern: 'err', note: undefined });
    // Typing outside the prompt does nothing.
    expect(logsViewReducer(applied, { type: 'search-type', text: 'z' })).toBe(applied);
  });

  it('a pattern that does not compile is not applied: the prompt stays with the reason', () => {
    const typing = run({ type: 'search-start' }, { type: 'search-type', text: '/a(/' });
    const s = logsViewReducer(typing, {
      type: 'search-apply',
      view: view({ matches: [], searchError: 'invalid regex: x' }),
    });
    expect(s).toMatchObject({ draft: '/a(/', pattern: '', note: 'invalid regex: x' });
  });

  it('applying a pattern nothing matches yet says so (lines may still come)', () => {
    const typing = run({ type: 'search-start' }, { type: 'search-type', text: 'zzz' });
    expect(logsViewReducer(typing, { type: 'search-apply', view: view({ matches: [] }) }).note).toBe(
      'no line matches zzz (yet)',
    );
  });

  it('n from following wraps to the oldest match; N takes the newest; each stops following and shows it', () => {
    const n = logsViewReducer(searched(), { type: 'match', direction: 'next', view: view() });
    expect(n).toMatchObject({ follow: false, current: 5, note: 'past the newest match: back at the oldest' });
    const N = logsViewReducer(searched(), { type: 'match', direction: 'previous', view: view() });
    expect(N).toMatchObject({ follow: false, current: 95, note: undefined });
    // Shown a third of the way down (height 10: three lines above it).
    expect(N.top).toBe(92);
    const start = windowStart(N, range(0, 100), 10);
    expect(range(0, 100).slice(start, start + 10)).toContain(95);
  });

  it('n and N step through the matches from the current one, wrapping with a note', () => {
    let s = logsViewReducer(searched(), { type: 'match', direction: 'previous', view: view() });
    s = logsViewReducer(s, { type: 'match', direction: 'previous', view: view() });
    expect(s.current).toBe(85);
    s = logsViewReducer(s, { type: 'match', direction: 'next', view: view() });
    expect(s.current).toBe(95);
    s = logsViewReducer(s, { type: 'match', direction: 'next', view: view() });
    expect(s).toMatchObject({ current: 5, note: 'past the newest match: back at the oldest' });
    s = logsViewReducer(s, { type: 'match', direction: 'previous', view: view() });
    expect(s).toMatchObject({ current: 95, note: 'before the oldest match: on at the newest' });
  });

  it('when paused, n starts from the top of the screen, not from the end', () => {
    const paused = logsViewReducer(searched(), { type: 'top', view: view() });
    const s = logsViewReducer(paused, { type: 'match', direction: 'next', view: view() });
    expect(s.current).toBe(5);
  });

  it('a current match since dropped from the ring: n goes on from the screen', () => {
    let s = logsViewReducer(searched(), { type: 'match', direction: 'next', view: view() });
    expect(s.current).toBe(5);
    const later = view({ shown: range(50, 150), matches: [55, 65, 75] });
    s = logsViewReducer(s, { type: 'match', direction: 'next', view: later });
    expect(s.current).toBe(55);
  });

  it('n/N without a search or without matches, or with a bad one, says why', () => {
    expect(run({ type: 'match', direction: 'next', view: view() }).note).toBe('no search: / starts one');
    expect(
      logsViewReducer(searched('q'), { type: 'match', direction: 'next', view: view({ matches: [] }) }).note,
    ).toBe('no line matches q');
  });

  it('only matching lines: the window is counted in the matching lines', () => {
    const s = logsViewReducer(searched(), { type: 'toggle-only-matching' });
    expect(s.onlyMatching).toBe(true);
    const matches = view().matches;
    expect(windowStart(s, matches, 4)).toBe(6);
    // Paused on a match: that match stays on screen when the filter is switched off.
    const on = logsViewReducer(s, {
      type: 'match',
      direction: 'previous',
      view: view({ shown: matches, height: 4 }),
    });
    const off = logsViewReducer(on, { type: 'toggle-only-matching' });
    const start = windowStart(off, range(0, 100), 10);
    expect(range(0, 100).slice(start, start + 10)).toContain(on.current);
  });

  it('a note lasts until the next key', () => {
    const noted = run({ type: 'note', text: 'hello' });
    expect(noted.note).toBe('hello');
    expect(logsViewReducer(noted, { type: 'toggle-wrap' })).toMatchObject({ note: undefined, wrap: true });
  });

  it('reveal (opened from an alert) shows that line, paused', () => {
    const s = run({ type: 'reveal', seq: 40, view: view() });
    expect(s).toMatchObject({ follow: false, top: 37 });
  });
});
