import { describe, expect, it } from 'vitest';
import {
  allFolds,
  buildTree,
  displayPath,
  findNodes,
  initialFolds,
  treeLines,
} from '../../source/ui/json-tree.js';
import {
  initialInspectState,
  inspectKey,
  inspectLoaded,
  type InspectState,
} from '../../source/ui/inspect-state.js';
import { applyKeyOverrides, defaultKeymap, typingHint } from '../../source/ui/keymap.js';

const doc = {
  Id: 'abc',
  State: { Status: 'paused', Paused: true, Health: { Status: 'healthy', Log: [] } },
  Config: {
    Env: ['PATH=/bin', 'MODE=test'],
    Labels: { 'com.example/team': 'web' },
    Cmd: ['sleep', '3600'],
  },
  Mounts: [],
  HostConfig: { PidsLimit: 200, Memory: 0 },
};

function loaded(value: unknown = doc): InspectState {
  return inspectLoaded(initialInspectState(), {
    ok: true,
    engine: 'unix:///d.sock',
    inspect: value as Record<string, unknown>,
  });
}

/** Presses key names in order, as the Inspect view gets them (page = 5 lines). */
function press(state: InspectState, ...keys: string[]): InspectState {
  return keys.reduce((s, k) => inspectKey(s, defaultKeymap, k, k.length === 1 ? k : '', 5), state);
}

const texts = (s: InspectState) => s.lines.map((l) => l.text);
const cursorText = (s: InspectState) => s.lines.find((l) => l.id === s.cursor)?.text;

describe('JSON tree: the inspect document as foldable lines', () => {
  it('starts with the big top-level sections folded and State open, as JSON text', () => {
    const s = loaded();
    expect(texts(s)).toEqual([
      '{',
      '  "Id": "abc",',
      '  "State": {',
      '    "Status": "paused",',
      '    "Paused": true,',
      '    "Health": {',
      '      "Status": "healthy",',
      '      "Log": []',
      '    }',
      '  },',
      '  "Config": {…} 3 keys,',
      '  "Mounts": [],',
      '  "HostConfig": {…} 2 keys',
      '}',
    ]);
    // An empty array has nothing to fold; the root is never folded.
    expect(initialFolds(buildTree(doc))).toEqual(new Set(['/Config', '/HostConfig']));
  });

  it('Enter or Space unfolds and folds the node at the cursor, and the cursor stays on it', () => {
    let s = press(loaded(), 'G', 'k', 'k', 'k'); // on "Config": {…}
    expect(cursorText(s)).toBe('  "Config": {…} 3 keys,');
    s = press(s, 'enter');
    expect(cursorText(s)).toBe('  "Config": {');
    expect(texts(s)).toContain('    "Env": [');
    expect(texts(s)).toContain('      "PATH=/bin",');
    s = press(s, 'space');
    expect(cursorText(s)).toBe('  "Config": {…} 3 keys,');
    expect(texts(s)).not.toContain('    "Env": [');
  });

  it('folding from a closing bracket folds that node and leaves the cursor on its folded line', () => {
    let s = press(loaded(), 'j', 'j', 'j', 'j', 'j', 'j', 'j', 'j'); // the "    }" closing Health
    expect(s.cursor).toBe('/State/Health#end');
    s = press(s, 'enter');
    expect(cursorText(s)).toBe('    "Health": {…} 2 keys');
  });

  it('fold all keeps the cursor on the nearest visible ancestor; unfold all opens every node', () => {
    let s = press(loaded(), 'j', 'j', 'j', 'j', 'j', 'j'); // "Status": "healthy" inside Health
    expect(cursorText(s)).toBe('      "Status": "healthy",');
    s = press(s, '-');
    expect(texts(s)).toEqual([
      '{',
      '  "Id": "abc",',
      '  "State": {…} 3 keys,',
      '  "Config": {…} 3 keys,',
      '  "Mounts": [],',
      '  "HostConfig": {…} 2 keys',
      '}',
    ]);
    expect(cursorText(s)).toBe('  "State": {…} 3 keys,');
    expect(s.folded).toEqual(allFolds(buildTree(doc)));
    s = press(s, '+');
    expect(s.folded.size).toBe(0);
    expect(texts(s)).toContain('      "com.example/team": "web"');
    expect(texts(s)).toHaveLength(29);
    // The cursor did not move off State when everything opened.
    expect(cursorText(s)).toBe('  "State": {');
  });

  it('j/k/PgDn/PgUp/g/G move within the lines, never past either end', () => {
    const s = loaded();
    expect(press(s, 'k').cursor).toBe('');
    expect(press(s, 'pagedown').cursor).toBe(s.lines[4]!.id);
    expect(press(s, 'pagedown', 'pageup').cursor).toBe('');
    expect(press(s, 'G', 'j').cursor).toBe('#end');
    expect(press(s, 'G', 'g').cursor).toBe('');
    expect(press(s, 'end').cursor).toBe('#end');
  });

  it('/ finds a key or a value, unfolding what hides it; n/N step through and wrap', () => {
    let s = press(loaded(), '/');
    expect(s.editing).toBe(true);
    for (const ch of 'mode') s = press(s, ch);
    expect(s.draft).toBe('mode');
    s = press(s, 'enter');
    expect(s.editing).toBe(false);
    // Case-insensitive, in a value inside the folded Config: Config and Env are unfolded to show it.
    expect(cursorText(s)).toBe('      "MODE=test"');
    expect(s.note).toBe('match 1/1 for /mode');
    expect(displayPath(s.tree!, '/Config/Env/1')).toBe('.Config.Env[1]');

    s = press(s, '/', 's', 't', 'a', 't', 'u', 's', 'enter');
    expect(s.matches).toEqual(['/State/Status', '/State/Health/Status']);
    expect(cursorText(s)).toBe('    "Status": "paused",');
    s = press(s, 'n');
    expect(cursorText(s)).toBe('      "Status": "healthy",');
    expect(s.note).toBe('match 2/2 for /status');
    s = press(s, 'n');
    expect(cursorText(s)).toBe('    "Status": "paused",');
    s = press(s, 'N');
    expect(cursorText(s)).toBe('      "Status": "healthy",');
  });

  it('a find with no match says so and moves nothing; Esc cancels the prompt; q closes', () => {
    const start = press(loaded(), 'j');
    const s = press(start, '/', 'z', 'z', 'q', 'enter');
    expect(s.note).toBe('no match for /zzq');
    expect(s.cursor).toBe(start.cursor);
    expect(s.closed).toBe(false);
    const cancelled = press(start, '/', 'x', 'escape');
    expect(cancelled.editing).toBe(false);
    expect(cancelled.query).toBe('');
    expect(press(start, 'n').note).toContain('nothing to look for');
    expect(press(start, 'q').closed).toBe(true);
    expect(press(start, 'escape').closed).toBe(true);
  });

  it('the find prompt takes the typing keys of the keymap: remapped, Esc is text-free and Ctrl-X cancels', () => {
    const { keymap, errors } = applyKeyOverrides({ 'filter-clear': 'ctrl-x' });
    expect(errors).toEqual([]);
    const start = press(loaded(), 'j');
    const typed = ['/', 'x', 'escape'].reduce(
      (s, k) => inspectKey(s, keymap, k, k.length === 1 ? k : '', 5),
      start,
    );
    expect(typed.editing).toBe(true);
    const cancelled = inspectKey(typed, keymap, 'ctrl-x', 'x', 5);
    expect(cancelled.editing).toBe(false);
    expect(typingHint(keymap, 'finds', 'cancels')).toBe('Enter finds · Ctrl-X cancels');
  });

  it('member names with / and ~ keep their own nodes; a document that is an array works too', () => {
    const tree = buildTree({ 'a/b': { '~x': 1 }, a: 2 });
    expect([...tree.byPath.keys()]).toEqual(['', '/a~1b', '/a~1b/~0x', '/a']);
    expect(displayPath(tree, '/a~1b/~0x')).toBe('["a/b"]["~x"]');
    expect(findNodes(tree, '~X')).toEqual(['/a~1b/~0x']);
    expect(treeLines(buildTree([1, [2]]), new Set(['/1'])).map((l) => l.text)).toEqual([
      '[',
      '  1,',
      '  […] 1 item',
      ']',
    ]);
  });

  it('while loading or after an error only the close keys do something', () => {
    const failed = inspectLoaded(initialInspectState(), { ok: false, message: 'engine unreachable' });
    expect(failed).toMatchObject({ phase: 'error', message: 'engine unreachable' });
    expect(press(failed, 'j', 'enter', '-').lines).toEqual([]);
    expect(press(initialInspectState(), 'q').closed).toBe(true);
  });
});
