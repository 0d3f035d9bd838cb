import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTomlDocument, TomlSyntaxError, type TomlPath } from '../../../source/config/toml-document.js';

const lineOfPath = (text: string, path: TomlPath) => parseTomlDocument(text).lineOf(path);

const single = `# a policy
id = "web"
name = "Web"   # trailing comment
description = """
multi
line with "quotes" and [brackets]
"""
severity_threshold = "Hgh"
rules = [
  "a*",
  'b*',
]

[target_filter]
container_names = ["web-*"]
labels = ["env=prod", "team"]

[action]
Throttle = { cpus = 0.1,
  memory = "12x" }
`;

const many = `[[policies]]
id = "one"
name = "One"
[policies.action]
Pause = []

[[policies]]
id = "two"
"name" = "Two"
target_filter.labels = ["x"]
action = "pause"
`;

describe('lineOfPath', () => {
  it('finds top-level keys after multi-line strings', () => {
    expect(lineOfPath(single, ['id'])).toBe(2);
    expect(lineOfPath(single, ['name'])).toBe(3);
    expect(lineOfPath(single, ['severity_threshold'])).toBe(8);
  });
  it('finds array elements on their own lines', () => {
    expect(lineOfPath(single, ['rules'])).toBe(9);
    expect(lineOfPath(single, ['rules', 1])).toBe(11);
  });
  it('finds keys in tables and inline tables', () => {
    expect(lineOfPath(single, ['target_filter'])).toBe(14);
    expect(lineOfPath(single, ['target_filter', 'labels', 1])).toBe(16);
    expect(lineOfPath(single, ['action', 'Throttle', 'memory'])).toBe(20);
    expect(lineOfPath(single, ['action', 'Throttle', 'cpus'])).toBe(19);
  });
  it('falls back to the nearest enclosing key', () => {
    expect(lineOfPath(single, ['target_filter', 'image_patterns'])).toBe(14);
    expect(lineOfPath(single, ['nope'])).toBeUndefined();
  });
  it('indexes arrays of tables and dotted keys', () => {
    expect(lineOfPath(many, ['policies', 0, 'id'])).toBe(2);
    expect(lineOfPath(many, ['policies', 0, 'action', 'Pause'])).toBe(5);
    expect(lineOfPath(many, ['policies', 1])).toBe(7);
    expect(lineOfPath(many, ['policies', 1, 'name'])).toBe(9);
    expect(lineOfPath(many, ['policies', 1, 'target_filter', 'labels', 0])).toBe(10);
    expect(lineOfPath(many, ['policies', 1, 'action'])).toBe(11);
  });
  it('parses once: the value is the whole document', () => {
    expect(parseTomlDocument(many).value).toEqual({
      policies: [
        { id: 'one', name: 'One', action: { Pause: [] } },
        { id: 'two', name: 'Two', target_filter: { labels: ['x'] }, action: 'pause' },
      ],
    });
  });

  it('broken TOML is a TomlSyntaxError with its line, never another throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'[]{}="\'#.,\n\\ ab1') }), (text) => {
        try {
          const line = lineOfPath(text, ['a', 0, 'b']);
          expect(line === undefined || (line >= 1 && line <= text.split('\n').length)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(TomlSyntaxError);
          const { line } = error as TomlSyntaxError;
          expect(line === undefined || (line >= 1 && line <= text.split('\n').length + 1)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('skips a byte order mark', () => {
    expect(lineOfPath('\uFEFFid = "x"\nname = "y"\n', ['name'])).toBe(2);
  });
});

describe('syntax errors', () => {
  it('name the line, without the parser excerpt', () => {
    let error: unknown;
    try {
      parseTomlDocument('id = "x"\nname = \n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TomlSyntaxError);
    expect((error as TomlSyntaxError).line).toBe(2);
    expect((error as TomlSyntaxError).message).not.toContain('\n');
  });
});
