/**
 * The logs view's state and its pure reducer. Positions are line `seq` numbers (see log-ring), not
 * indexes: lines keep arriving and the oldest are dropped while the operator reads, and a paused
 * view must stay on the same lines.
 */
export interface LogsViewState {
  /** Auto-scroll: the view shows the newest lines as they come. */
  follow: boolean;
  /** When not following: the seq of the first line shown (or the next one still there). */
  top: number;
  /** The applied search pattern ('' for none). */
  pattern: string;
  /** The pattern being typed after `/`; undefined when not editing. Matches follow it live. */
  draft: string | undefined;
  /** Show only the lines that match (like less's `&`). */
  onlyMatching: boolean;
  /** The seq of the match n/N last jumped to. */
  current: number | undefined;
  wrap: boolean;
  /** A one-off message for the status line (wrapped around, no matches, a bad regex). */
  note: string | undefined;
}

/** What the view is showing now, which a key's effect depends on. */
export interface LogsViewport {
  /** Seqs of the lines in the list shown (all lines, or only the matching ones), oldest first. */
  shown: readonly number[];
  /** Seqs of the matching lines, oldest first. */
  matches: readonly number[];
  /** Rows for lines. */
  height: number;
  /** Set when the pattern in force does not compile (matches is then empty). */
  searchError?: string;
}

export type LogsViewAction =
  | { type: 'search-start' }
  | { type: 'search-type'; text: string }
  | { type: 'search-backspace' }
  | { type: 'search-apply'; view: LogsViewport }
  | { type: 'search-cancel' }
  | { type: 'scroll'; by: number | 'page-down' | 'page-up'; view: LogsViewport }
  | { type: 'top'; view: LogsViewport }
  | { type: 'bottom' }
  | { type: 'toggle-follow'; view: LogsViewport }
  | { type: 'toggle-only-matching' }
  | { type: 'toggle-wrap' }
  | { type: 'match'; direction: 'next' | 'previous'; view: LogsViewport }
  | { type: 'note'; text: string }
  /** Show this line a third of the way down, not following (opened from an alert: its time). */
  | { type: 'reveal'; seq: number; view: LogsViewport; note?: string };

export function initialLogsViewState(): LogsViewState {
  return {
    follow: true,
    top: 0,
    pattern: '',
    draft: undefined,
    onlyMatching: false,
    current: undefined,
    wrap: false,
    note: undefined,
  };
}

/** The pattern in force: the one being typed while editing (incremental search), else the applied one. */
export function activePattern(state: LogsViewState): string {
  return state.draft ?? state.pattern;
}

/** First index in an ascending list whose value is ≥ seq (the list's length when none is). */
export function lowerBound(list: readonly number[], seq: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index of the first shown line: the newest screenful when following, else from `top`. */
export function windowStart(state: LogsViewState, shown: readonly number[], height: number): number {
  const last = Math.max(0, shown.length - Math.max(1, height));
  if (state.follow) return last;
  return Math.min(lowerBound(shown, state.top), last);
}

function paused(state: LogsViewState, view: LogsViewport, start: number): LogsViewState {
  return { ...state, follow: false, top: view.shown[start] ?? state.top };
}

export function logsViewReducer(state: LogsViewState, action: LogsViewAction): LogsViewState {
  // A note lasts until the next key.
  const s = state.note === undefined || action.type === 'note' ? state : { ...state, note: undefined };
  switch (action.type) {
    case 'note':
      return { ...s, note: action.text };
    case 'search-start':
      return { ...s, draft: s.pattern };
    case 'search-type':
      return s.draft === undefined ? s : { ...s, draft: s.draft + action.text };
    case 'search-backspace':
      return s.draft === undefined ? s : { ...s, draft: [...s.draft].slice(0, -1).join('') };
    case 'search-cancel':
      return { ...s, draft: undefined };
    case 'search-apply': {
      if (s.draft === undefined) return s;
      // A bad regex is not applied: the prompt stays open with the reason, and nothing is lost.
      if (action.view.searchError) return { ...s, note: action.view.searchError };
      const note =
        s.draft !== '' && action.view.matches.length === 0 ? `no line matches ${s.draft} (yet)` : undefined;
      return { ...s, pattern: s.draft, draft: undefined, current: undefined, note };
    }
    case 'scroll': {
      const { view } = action;
      const page = Math.max(1, view.height - 1);
      const by = action.by === 'page-down' ? page : action.by === 'page-up' ? -page : action.by;
      const start = windowStart(s, view.shown, view.height);
      const last = Math.max(0, view.shown.length - view.height);
      const next = Math.max(0, Math.min(last, start + by));
      // Scrolling down while following changes nothing: it is already at the newest line.
      if (s.follow && by > 0) return s;
      return paused(s, view, next);
    }
    case 'top':
      return paused(s, action.view, 0);
    case 'bottom':
      return { ...s, follow: true };
    case 'toggle-follow':
      if (!s.follow) return { ...s, follow: true };
      return paused(s, action.view, windowStart(s, action.view.shown, action.view.height));
    case 'toggle-only-matching':
      // Paused on a match: the other list starts at it, so it stays on screen.
      return s.follow || s.current === undefined
        ? { ...s, onlyMatching: !s.onlyMatching }
        : { ...s, onlyMatching: !s.onlyMatching, top: s.current };
    case 'toggle-wrap':
      return { ...s, wrap: !s.wrap };
    case 'match':
      return jumpToMatch(s, action.direction, action.view);
    case 'reveal':
      return { ...s, follow: false, top: topFor(action.seq, action.view), note: action.note };
  }
}

/** The top that shows `seq` a third of the way down, so what led to it is visible too. */
function topFor(seq: number, view: LogsViewport): number {
  const at = lowerBound(view.shown, seq);
  return view.shown[Math.max(0, at - Math.floor(view.height / 3))] ?? seq;
}

function jumpToMatch(s: LogsViewState, direction: 'next' | 'previous', view: LogsViewport): LogsViewState {
  if (activePattern(s) === '') return { ...s, note: 'no search: / starts one' };
  if (view.searchError) return { ...s, note: view.searchError };
  const { matches } = view;
  if (matches.length === 0) return { ...s, note: `no line matches ${activePattern(s)}` };
  // From the current match, or else from what is on screen: the bottom when following, so `N`
  // finds the newest match and `n` the oldest.
  const start = windowStart(s, view.shown, view.height);
  const from =
    s.current !== undefined && matches.includes(s.current)
      ? s.current
      : s.follow
        ? Infinity
        : (view.shown[start] ?? 0) - (direction === 'next' ? 1 : 0);
  let index: number;
  let note: string | undefined;
  if (direction === 'next') {
    index = lowerBound(matches, from + 1);
    if (index >= matches.length) {
      index = 0;
      note = 'past the newest match: back at the oldest';
    }
  } else {
    index = lowerBound(matches, from) - 1;
    if (index < 0) {
      index = matches.length - 1;
      note = 'before the oldest match: on at the newest';
    }
  }
  const seq = matches[index]!;
  return { ...s, follow: false, top: topFor(seq, view), current: seq, note };
}
