import { describe, expect, it } from 'vitest';
import {
  applyKeyOverrides,
  defaultKeymap,
  isValidKeyName,
  keyNameOf,
  splitKeys,
  keyLabel,
  visibleBindings,
} from '../../source/ui/keymap.js';

const keyOf = (action: string) =>
  defaultKeymap.find((k) => k.action === action && k.context === 'main')?.keys;

describe('defaultKeymap', () => {
  it('binds every key of DESIGN §10', () => {
    expect(keyOf('focus-next')).toEqual(['tab']);
    expect(keyOf('focus-previous')).toEqual(['shift-tab']);
    expect(['focus-containers', 'focus-alerts', 'focus-policies', 'focus-actions'].map(keyOf)).toEqual([
      ['1'],
      ['2'],
      ['3'],
      ['4'],
    ]);
    expect(keyOf('down')).toEqual(expect.arrayContaining(['j', 'down']));
    expect(keyOf('up')).toEqual(expect.arrayContaining(['k', 'up']));
    expect(keyOf('top')).toContain('g');
    expect(keyOf('bottom')).toContain('G');
    expect(keyOf('page-down')).toEqual(['pagedown']);
    expect(keyOf('page-up')).toEqual(['pageup']);
    expect(keyOf('details')).toEqual(['enter']);
    expect(keyOf('filter')).toEqual(['/']);
    const singles = { arm: 'a', 'dry-run': 'd', step: 'n', veto: 'c', restore: 'u', pause: 'p', stop: 's' };
    for (const [action, key] of Object.entries(singles)) expect(keyOf(action)).toEqual([key]);
    expect(keyOf('kill')).toEqual(['x']);
    expect(keyOf('isolate')).toEqual(['i']);
    expect(keyOf('reload-policies')).toEqual(['r']);
    expect(keyOf('toggle-policy')).toEqual(['e']);
    expect(keyOf('zoom')).toEqual(['z']);
    expect(keyOf('help')).toEqual(['?']);
    expect(keyOf('quit')).toEqual(['q', 'ctrl-c']);
  });

  it('has no key bound twice within a context, and only valid key names', () => {
    for (const context of ['main', 'stepper', 'confirm']) {
      const keys = defaultKeymap.filter((k) => k.context === context).flatMap((k) => k.keys);
      expect(new Set(keys).size, context).toBe(keys.length);
    }
    for (const binding of defaultKeymap)
      for (const key of binding.keys) expect(isValidKeyName(key), key).toBe(true);
  });

  it('marks every key that changes the engine or a container as acting, and read-only hides them', () => {
    const acting = defaultKeymap.filter((k) => k.acting && k.context === 'main').map((k) => k.action);
    expect(acting.sort()).toEqual(
      [
        'arm',
        'capture',
        'dry-run',
        'isolate',
        'kill',
        'pause',
        'reload-policies',
        'restore',
        'step',
        'stop',
        'toggle-policy',
        'veto',
      ].sort(),
    );
    expect(visibleBindings(defaultKeymap, true).some((k) => k.acting)).toBe(false);
  });
});

describe('applyKeyOverrides', () => {
  it('remaps an action to a key or keys', () => {
    const { keymap, errors } = applyKeyOverrides({ pause: 'P', help: ['?', 'h'] });
    expect(errors).toEqual([]);
    expect(keymap.find((k) => k.action === 'pause')?.keys).toEqual(['P']);
    expect(keymap.find((k) => k.action === 'help')?.keys).toEqual(['?', 'h']);
  });

  it('refuses a clash within a context and keeps the default', () => {
    const { keymap, errors } = applyKeyOverrides({ pause: 'k' });
    expect(errors).toEqual(['[keys] pause: k is already bound to up']);
    expect(keymap.find((k) => k.action === 'pause')?.keys).toEqual(['p']);
  });

  it('allows a key used in another context (stepper s is skip, main s is stop)', () => {
    const { errors } = applyKeyOverrides({ skip: 'S' });
    expect(errors).toEqual([]);
  });

  it('names unknown actions and invalid keys', () => {
    const { errors } = applyKeyOverrides({ explode: 'b', pause: 'ctrl-shift-x', kill: [] });
    expect(errors[0]).toMatch(/^\[keys\] explode: unknown action/);
    expect(errors[1]).toMatch(/^\[keys\] pause: "ctrl-shift-x" is not a key/);
    expect(errors[2]).toBe('[keys] kill: expected a key name or a list of key names');
  });

  it('keeps Ctrl-C on quit whatever the override says', () => {
    const { keymap } = applyKeyOverrides({ quit: 'Q' });
    expect(keymap.find((k) => k.action === 'quit')?.keys).toEqual(['Q', 'ctrl-c']);
  });

  it('does not change the default keymap', () => {
    applyKeyOverrides({ pause: 'P' });
    expect(keyOf('pause')).toEqual(['p']);
  });

  it('splits a run of characters into keypresses', () => {
    const keys = splitKeys('/aB\r\x7f\x03');
    expect(keys.map(([input]) => input)).toEqual(['/', 'a', 'B', '', '', 'c']);
    expect(keys[2]![1].shift).toBe(true);
    expect(keys[3]![1].return).toBe(true);
    expect(keys[4]![1].backspace).toBe(true);
    expect(keys[5]![1].ctrl).toBe(true);
  });

  it('labels keys for people', () => {
    expect(['shift-tab', 'ctrl-c', 'pagedown', 'G'].map(keyLabel)).toEqual([
      'Shift-Tab',
      'Ctrl-C',
      'PgDn',
      'G',
    ]);
  });
});

describe('splitKeys with escape sequences', () => {
  it('parses arrows, PgUp/PgDn, Home/End (CSI and SS3) among plain keys', () => {
    const names = splitKeys('\x1b[B\x1b[Bj\x1bOA\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[Z').map(
      ([input, key]) => keyNameOf(input, key),
    );
    expect(names).toEqual([
      'down',
      'down',
      'j',
      'up',
      'pageup',
      'pagedown',
      'home',
      'end',
      'home',
      'end',
      'shift-tab',
    ]);
  });

  it('drops a sequence it has no name for whole, never types it into a filter', () => {
    expect(splitKeys('a\x1b[1;9Xb').map(([input]) => input)).toEqual(['a', 'b']);
  });
});
