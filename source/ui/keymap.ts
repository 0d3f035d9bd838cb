import type { Key } from 'ink';

/**
 * Where a binding is live. Modal contexts (the confirm prompt, the queue stepper) take over the
 * keyboard while open, so a key may mean different things in different contexts but never two
 * things in one.
 */
export type KeyContext = 'main' | 'filter' | 'stepper' | 'confirm' | 'inspect' | 'logs';

export interface KeyBinding {
  /** The name used in `[keys]` of config.toml. */
  action: string;
  /** Key names: a printable character ("a", "G", "?") or a named key (see namedKeys). */
  keys: string[];
  description: string;
  /** Changes engine state or containers: hidden and refused under --read-only. */
  acting: boolean;
  context: KeyContext;
  /** Only meaningful when this pane is focused (shown in the help). */
  pane?: 'containers' | 'alerts' | 'policies' | 'actions';
  /** Shown in the footer hints when set (the label there). */
  hint?: string;
}

export const namedKeys = [
  'tab',
  'shift-tab',
  'enter',
  'escape',
  'up',
  'down',
  'left',
  'right',
  'pageup',
  'pagedown',
  'home',
  'end',
  'space',
  'backspace',
] as const;

const ctrlKey = /^ctrl-[a-z]$/;

export function isValidKeyName(name: string): boolean {
  if ((namedKeys as readonly string[]).includes(name) || ctrlKey.test(name)) return true;
  // One printable, non-space character.
  return [...name].length === 1 && /^[\x21-\x7e]$/.test(name);
}

const b = <const A extends string, const C extends KeyContext = 'main'>(
  action: A,
  keys: string[],
  description: string,
  acting: boolean,
  extra: Partial<Omit<KeyBinding, 'action' | 'context'>> & { context?: C } = {},
) => ({ action, keys, description, acting, ...extra, context: (extra.context ?? 'main') as C });

/** Every key of DESIGN §10, as data: this one table drives input, the help overlay and the README. */
const bindings = [
  b('focus-next', ['tab'], 'focus the next pane', false),
  b('focus-previous', ['shift-tab'], 'focus the previous pane', false),
  b('focus-containers', ['1'], 'focus Containers', false),
  b('focus-alerts', ['2'], 'focus Alerts', false),
  b('focus-policies', ['3'], 'focus Policies', false),
  b('focus-actions', ['4'], 'focus Actions', false),
  b('down', ['j', 'down'], 'move down', false),
  b('up', ['k', 'up'], 'move up', false),
  b('top', ['g', 'home'], 'first row', false),
  b('bottom', ['G', 'end'], 'last row', false),
  b('page-down', ['pagedown'], 'page down', false),
  b('page-up', ['pageup'], 'page up', false),
  b('details', ['enter'], 'details of the row (container or alert); Esc closes', false),
  b('filter', ['/'], 'filter the focused pane; Esc clears', false),
  b('clear', ['escape'], 'clear the filter of the focused pane, or leave zoom', false),
  b('arm', ['a'], 'disarm at once; arming asks to confirm (default No)', true, { hint: 'arm' }),
  b('dry-run', ['d'], 'toggle global dry-run', true, { hint: 'dry-run' }),
  b('step', ['n'], 'step through the queue: proposals and grace countdowns', true, { hint: 'step' }),
  b('veto', ['c'], 'veto the selected grace countdown', true),
  b('restore', ['u'], 'restore the selected container (shows what will be undone; confirm)', true, {
    pane: 'containers',
    hint: 'restore',
  }),
  b('pause', ['p'], 'pause the selected container (confirm, default No)', true, { pane: 'containers' }),
  b('stop', ['s'], 'stop the selected container (confirm, default No)', true, { pane: 'containers' }),
  b('kill', ['x'], 'kill the selected container (confirm, default No)', true, { pane: 'containers' }),
  b('isolate', ['i'], 'network-isolate the selected container (confirm, default No)', true, {
    pane: 'containers',
  }),
  b('capture', ['E'], 'capture evidence of the selected container (confirm, default No)', true, {
    pane: 'containers',
  }),
  b('reload-policies', ['r'], 'reload policies from disk', true),
  b('toggle-policy', ['e'], 'enable/disable the selected policy (runtime only, journaled)', true, {
    pane: 'policies',
  }),
  b('inspect', ['I'], 'raw inspect JSON of the selected container (foldable)', false, {
    pane: 'containers',
  }),
  b('zoom', ['z'], 'zoom the focused pane', false),
  b('logs', ['l'], "follow the logs of the selected container (or of the alert's or action's)", false),
  b('sort', ['o'], 'cycle the Containers order: name, cpu, memory, pids, state (the title shows it)', false),
  b('copy', ['Y'], 'copy the selected container id, action record, alert or policy file (OSC 52)', false),
  b('help', ['?'], 'help, generated from this keymap', false, { hint: 'help' }),
  b('quit', ['q', 'ctrl-c'], 'quit (asks when actions are in flight)', false, { hint: 'quit' }),
  b('filter-keep', ['enter'], 'keep the filter typed, or run the logs search or Inspect find typed', false, {
    context: 'filter',
  }),
  b('filter-clear', ['escape'], 'clear the filter, or cancel the search or find being typed', false, {
    context: 'filter',
  }),
  b('filter-erase', ['backspace'], 'erase the last character typed', false, { context: 'filter' }),
  b('approve', ['y'], 'execute the proposal shown', true, { context: 'stepper' }),
  b('skip', ['s'], 'skip the proposal shown', true, { context: 'stepper' }),
  b('veto-shown', ['c'], 'veto the grace countdown shown', true, { context: 'stepper' }),
  b('next-item', ['j', 'down', 'right'], 'next proposal', false, { context: 'stepper' }),
  b('previous-item', ['k', 'up', 'left'], 'previous proposal', false, { context: 'stepper' }),
  b('close', ['escape', 'n'], 'close', false, { context: 'stepper' }),
  b('confirm-yes', ['y'], 'yes, do it', false, { context: 'confirm' }),
  b('confirm-no', ['n', 'escape', 'enter'], 'no (the default)', false, { context: 'confirm' }),
  b('inspect-down', ['j', 'down'], 'next line', false, { context: 'inspect' }),
  b('inspect-up', ['k', 'up'], 'previous line', false, { context: 'inspect' }),
  b('inspect-page-down', ['pagedown'], 'page down', false, { context: 'inspect' }),
  b('inspect-page-up', ['pageup'], 'page up', false, { context: 'inspect' }),
  b('inspect-top', ['g', 'home'], 'first line', false, { context: 'inspect' }),
  b('inspect-bottom', ['G', 'end'], 'last line', false, { context: 'inspect' }),
  b('inspect-fold', ['enter', 'space'], 'fold or unfold the object or array at the cursor', false, {
    context: 'inspect',
  }),
  b('inspect-fold-all', ['-'], 'fold everything', false, { context: 'inspect' }),
  b('inspect-unfold-all', ['+', '='], 'unfold everything', false, { context: 'inspect' }),
  b('inspect-find', ['/'], 'find a key or value (typed like a filter)', false, { context: 'inspect' }),
  b('inspect-next-match', ['n'], 'next match', false, { context: 'inspect' }),
  b('inspect-previous-match', ['N'], 'previous match', false, { context: 'inspect' }),
  b('inspect-close', ['escape', 'q'], 'close', false, { context: 'inspect' }),
  b(
    'logs-search',
    ['/'],
    'search: text (smart-case), /regex/ or re:regex, !… inverts (typed like a filter)',
    false,
    { context: 'logs' },
  ),
  b('logs-next', ['n'], 'next (newer) match; stops following', false, { context: 'logs' }),
  b('logs-previous', ['N'], 'previous (older) match; stops following', false, { context: 'logs' }),
  b('logs-only-matching', ['&'], 'show only the matching lines, or all again', false, { context: 'logs' }),
  b('logs-follow', ['f', 'space'], 'pause or resume following', false, { context: 'logs' }),
  b('logs-down', ['j', 'down'], 'scroll down', false, { context: 'logs' }),
  b('logs-up', ['k', 'up'], 'scroll up (pauses following)', false, { context: 'logs' }),
  b('logs-page-down', ['pagedown'], 'page down', false, { context: 'logs' }),
  b('logs-page-up', ['pageup'], 'page up (pauses following)', false, { context: 'logs' }),
  b('logs-top', ['g', 'home'], 'oldest line kept', false, { context: 'logs' }),
  b('logs-bottom', ['G', 'end'], 'newest line, and follow again', false, { context: 'logs' }),
  b('logs-wrap', ['w'], 'wrap long lines, or cut them', false, { context: 'logs' }),
  b('logs-close', ['escape', 'q'], 'close the logs', false, { context: 'logs' }),
];

export const defaultKeymap: readonly KeyBinding[] = Object.freeze(bindings);

type DefaultBinding = (typeof bindings)[number];
/** The actions of one context, as the compiler knows them: a handler table keyed by this is checked. */
export type ActionOf<C extends KeyContext> = Extract<DefaultBinding, { context: C }>['action'];
export type MainAction = ActionOf<'main'>;

/** True when a binding's action is one of the context's known actions (overrides never add any). */
export function isActionOf<C extends KeyContext>(context: C, action: string): action is ActionOf<C> {
  return bindings.some((k) => k.context === context && k.action === action);
}

/** Footer hints of DESIGN §10: the manual actions share one hint. */
export const manualActionNames = ['pause', 'stop', 'kill', 'isolate'] as const;

/**
 * Applies `[keys]` overrides (action → key or keys). Unknown actions, invalid key names and clashes
 * within a context are errors; an override that errs is not applied, so the keymap always works.
 * Ctrl-C always quits, whatever the overrides say: nobody gets locked in.
 */
export function applyKeyOverrides(overrides: Record<string, string | string[]>): {
  keymap: KeyBinding[];
  errors: string[];
} {
  const errors: string[] = [];
  const keymap = defaultKeymap.map((binding) => ({ ...binding, keys: [...binding.keys] }));
  for (const [action, value] of Object.entries(overrides)) {
    const binding = keymap.find((k) => k.action === action);
    if (!binding) {
      errors.push(
        `[keys] ${action}: unknown action (known: ${defaultKeymap.map((k) => k.action).join(', ')})`,
      );
      continue;
    }
    const keys = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string')) {
      errors.push(`[keys] ${action}: expected a key name or a list of key names`);
      continue;
    }
    const invalid = keys.filter((k) => !isValidKeyName(k));
    if (invalid.length > 0) {
      errors.push(
        `[keys] ${action}: ${invalid.map((k) => JSON.stringify(k)).join(', ')} is not a key ` +
          `(one character, ctrl-<letter>, or one of ${namedKeys.join(', ')})`,
      );
      continue;
    }
    if (action === 'quit' && !keys.includes('ctrl-c')) keys.push('ctrl-c');
    const clash = keymap.find(
      (other) =>
        other !== binding && other.context === binding.context && other.keys.some((k) => keys.includes(k)),
    );
    if (clash) {
      const shared = clash.keys.filter((k) => keys.includes(k));
      errors.push(`[keys] ${action}: ${shared.join(', ')} is already bound to ${clash.action}`);
      continue;
    }
    binding.keys = [...new Set(keys)];
  }
  return { keymap, errors };
}

/** The key name of one Ink keypress, in the keymap's vocabulary. */
export function keyNameOf(input: string, key: Key): string | undefined {
  if (key.tab) return key.shift ? 'shift-tab' : 'tab';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl && /^[a-z]$/i.test(input)) return `ctrl-${input.toLowerCase()}`;
  if (input === ' ') return 'space';
  if ([...input].length === 1) return input;
  return undefined;
}

/** The action a key name triggers in a context, honouring --read-only (acting keys do nothing). */
export function actionFor(
  keymap: readonly KeyBinding[],
  context: KeyContext,
  keyName: string,
): KeyBinding | undefined {
  return keymap.find((k) => k.context === context && k.keys.includes(keyName));
}

const labels: Record<string, string> = {
  tab: 'Tab',
  'shift-tab': 'Shift-Tab',
  enter: 'Enter',
  escape: 'Esc',
  up: '↑',
  down: '↓',
  left: '←',
  right: '→',
  pageup: 'PgUp',
  pagedown: 'PgDn',
  home: 'Home',
  end: 'End',
  space: 'Space',
  backspace: 'Backspace',
};

/** How a key name is shown to people (help, footer, README). */
export function keyLabel(name: string): string {
  if (labels[name]) return labels[name];
  if (ctrlKey.test(name)) return `Ctrl-${name.slice(5).toUpperCase()}`;
  return name;
}

export function keysLabel(binding: KeyBinding): string {
  return binding.keys.map(keyLabel).join(', ');
}

/** The label of the first key bound to an action, for hint texts ("? help", "u restores it"). */
export function keyOf(keymap: readonly KeyBinding[], action: string, context: KeyContext = 'main'): string {
  const binding = keymap.find((k) => k.action === action && k.context === context);
  return binding?.keys[0] ? keyLabel(binding.keys[0]) : `(${action} unbound)`;
}

/** What a key does while text is typed (a pane filter, a logs search, an Inspect find). */
export function typingAction(keymap: readonly KeyBinding[], name: string): ActionOf<'filter'> | undefined {
  const action = actionFor(keymap, 'filter', name)?.action;
  return action !== undefined && isActionOf('filter', action) ? action : undefined;
}

/** "Enter applies · Esc cancels", with the keys the keymap has. */
export function typingHint(keymap: readonly KeyBinding[], keep: string, clear: string): string {
  return `${keyOf(keymap, 'filter-keep', 'filter')} ${keep} · ${keyOf(keymap, 'filter-clear', 'filter')} ${clear}`;
}

/** The hint of scrollable overlays (help, details). */
export function scrollHint(keymap: readonly KeyBinding[]): string {
  return `${keyOf(keymap, 'down')}/${keyOf(keymap, 'up')} scroll · any other key closes`;
}

/** The Inspect view's hint line. */
export function inspectHint(keymap: readonly KeyBinding[]): string {
  const key = (action: string) => keyOf(keymap, action, 'inspect');
  return `${key('inspect-down')}/${key('inspect-up')} move · ${key('inspect-fold')} fold · ${key('inspect-fold-all')}/${key('inspect-unfold-all')} all · ${key('inspect-find')} find · ${key('inspect-next-match')}/${key('inspect-previous-match')} · ${key('inspect-close')} close`;
}

/** The queue stepper's hint line. */
export function stepperHint(keymap: readonly KeyBinding[], readOnly: boolean): string {
  const key = (action: string) => keyOf(keymap, action, 'stepper');
  return readOnly
    ? `${key('next-item')} next · ${key('close')} close (read-only)`
    : `${key('approve')} execute · ${key('skip')} skip · ${key('veto-shown')} veto · ${key('next-item')} next · ${key('close')} close`;
}

/** Bindings to show: under --read-only the acting keys are hidden as well as refused. */
export function visibleBindings(keymap: readonly KeyBinding[], readOnly: boolean): KeyBinding[] {
  return keymap.filter((k) => !(readOnly && k.acting));
}

/** The README key table (markdown), generated from the keymap so the two never disagree. */
export function keysMarkdownTable(keymap: readonly KeyBinding[] = defaultKeymap): string {
  const contextTitle: Record<KeyContext, string> = {
    main: '',
    filter: 'while typing a filter or a search: ',
    stepper: 'in the queue stepper: ',
    confirm: 'in a confirm prompt: ',
    inspect: 'in the Inspect view: ',
    logs: 'in the logs view: ',
  };
  const rows = keymap.map(
    (k) =>
      `| ${k.keys.map((n) => '`' + keyLabel(n).replace('|', '\\|') + '`').join(' ')} | \`${k.action}\` | ` +
      `${contextTitle[k.context]}${k.description}${k.acting ? ' (hidden under `--read-only`)' : ''} |`,
  );
  return ['| key | action (`[keys]` name) | does |', '|---|---|---|', ...rows].join('\n');
}

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

const csiFinal: Record<string, Partial<Key>> = {
  A: { upArrow: true },
  B: { downArrow: true },
  C: { rightArrow: true },
  D: { leftArrow: true },
  H: { home: true },
  F: { end: true },
  Z: { tab: true, shift: true },
};
const csiTilde: Record<string, Partial<Key>> = {
  '1': { home: true },
  '7': { home: true },
  '4': { end: true },
  '8': { end: true },
  '5': { pageUp: true },
  '6': { pageDown: true },
  '3': { delete: true },
};
// CSI (ESC [ params final) and SS3 (ESC O final): what arrows, PgUp/PgDn, Home/End send.
// eslint-disable-next-line no-control-regex -- matching terminal escape sequences is the point
const escapeSequence = /^\x1b(?:\[([0-9;]*)([A-Za-z~])|O([A-Za-z]))/;

/** One escape sequence as a keypress, or undefined for one this UI has no name for. */
function keyOfSequence(params: string, final: string): Key | undefined {
  const flags = final === '~' ? csiTilde[params.split(';')[0] ?? ''] : csiFinal[final];
  if (!flags) return undefined;
  // "1;2A" is Shift-Up, "1;5A" Ctrl-Up: the modifier is 1 + bits (shift 1, meta 2, ctrl 4).
  const modifier = Number(params.split(';')[1] ?? 1) - 1;
  return {
    ...noKey,
    shift: Boolean(flags.shift) || (modifier & 1) !== 0,
    ctrl: (modifier & 4) !== 0,
    ...flags,
  };
}

/**
 * Splits one input into single keypresses: a run of plain characters (a paste, or keys coalesced by
 * SSH or tmux) and escape sequences (a held arrow, `send-keys Down Down Down`), so "/web⏎" filters
 * exactly as if typed slowly and three Downs move three rows.
 */
export function splitKeys(input: string): Array<[string, Key]> {
  const out: Array<[string, Key]> = [];
  let rest = input;
  while (rest.length > 0) {
    const sequence = escapeSequence.exec(rest);
    if (sequence) {
      const key = keyOfSequence(sequence[1] ?? '', sequence[2] ?? sequence[3] ?? '');
      // A sequence with no name here is dropped whole, never typed as "[1;9X" into a filter.
      if (key) out.push(['', key]);
      rest = rest.slice(sequence[0].length);
      continue;
    }
    const ch = String.fromCodePoint(rest.codePointAt(0) ?? 0);
    rest = rest.slice(ch.length);
    out.push(plainKey(ch));
  }
  return out;
}

function plainKey(ch: string): [string, Key] {
  if (ch === '\r' || ch === '\n') return ['', { ...noKey, return: true }];
  if (ch === '\t') return ['', { ...noKey, tab: true }];
  if (ch === '\x7f' || ch === '\b') return ['', { ...noKey, backspace: true }];
  if (ch === '\x1b') return ['', { ...noKey, escape: true, meta: true }];
  const code = ch.codePointAt(0) ?? 0;
  if (code >= 1 && code <= 26) return [String.fromCharCode(code + 96), { ...noKey, ctrl: true }];
  return [ch, { ...noKey, shift: ch !== ch.toLowerCase() }];
}

/**
 * The keypresses of one Ink input event. Ink parses ESC and the next character of one read as Alt
 * and that character ("\x1bq" is Alt-q); Brig binds no Alt keys, and an operator's Esc then q
 * that arrive together (SSH, a loaded host) mean exactly that: close, then quit.
 */
export function keypressesOf(input: string, key: Key): Array<[string, Key]> {
  if (isKeyRun(input, key)) return splitKeys(input);
  if (key.meta && !key.escape && [...input].length === 1 && input >= ' ')
    return [plainKey('\x1b'), plainKey(input)];
  return [[input, key]];
}

/**
 * True when one input holds several keypresses: plain characters, or escape sequences Ink left
 * together. A single key Ink already parsed (its flags set, its input empty or one character) is not.
 */
function isKeyRun(input: string, key: Key): boolean {
  if (input.includes('\x1b')) return splitKeys(input).length > 1;
  const flags = [
    key.upArrow,
    key.downArrow,
    key.leftArrow,
    key.rightArrow,
    key.pageDown,
    key.pageUp,
    key.home,
    key.end,
  ];
  return [...input].length > 1 && !key.ctrl && !key.meta && !flags.some(Boolean);
}
