/**
 * The logs view's search, one pattern for highlighting, n/N and "only matching lines":
 *   plain text          substring, smart-case (case-insensitive unless it has a capital letter)
 *   /regex/  /regex/i   a JavaScript regular expression (smart-case too unless flags are given)
 *   re:regex            the same, without the slashes
 *   !pattern            inverts: lines that do NOT match (e.g. `!healthcheck` hides the noise)
 * A bad regex is an error message for the prompt, never an exception.
 */
export type LogSearch =
  | {
      ok: true;
      /** As typed: shown in the status line. */
      pattern: string;
      kind: 'text' | 'regex';
      invert: boolean;
      caseSensitive: boolean;
      /** Whether a line is one of the matches (inverted: does not contain the pattern). */
      test(text: string): boolean;
      /** Where the pattern occurs in a line, [start, end) in code units, for highlighting. */
      ranges(text: string): Array<[number, number]>;
    }
  | { ok: false; pattern: string; error: string };

/** The most ranges highlighted in one line: a one-character pattern on a 16 KiB line stays cheap. */
const maxRanges = 200;

/** Capital letters that are not part of an escape (\S, \W, \D, \B stay smart-case). */
function hasCapital(source: string, isRegex: boolean): boolean {
  const letters = isRegex ? source.replace(/\\./g, '') : source;
  return letters !== letters.toLowerCase();
}

export function compileSearch(input: string): LogSearch | undefined {
  if (input === '') return undefined;
  const invert = input.startsWith('!') && input.length > 1;
  const body = invert ? input.slice(1) : input;
  // Only i, m, s, u after the closing slash: `/api/users` is a path to find, not a regex.
  const slashed = /^\/(.*)\/([imsu]*)$/s.exec(body);
  const prefixed = body.startsWith('re:') ? body.slice(3) : undefined;
  const source = slashed ? slashed[1]! : prefixed;
  if (source === undefined) {
    const caseSensitive = hasCapital(body, false);
    const needle = caseSensitive ? body : body.toLowerCase();
    const fold = (text: string) => (caseSensitive ? text : text.toLowerCase());
    return {
      ok: true,
      pattern: input,
      kind: 'text',
      invert,
      caseSensitive,
      test: (text) => fold(text).includes(needle) !== invert,
      ranges: (text) => {
        const out: Array<[number, number]> = [];
        const hay = fold(text);
        for (
          let at = hay.indexOf(needle);
          at !== -1 && out.length < maxRanges;
          at = hay.indexOf(needle, at + needle.length)
        )
          out.push([at, at + needle.length]);
        return out;
      },
    };
  }
  if (source === '')
    return { ok: false, pattern: input, error: 'empty regex: type something between the slashes' };
  const given = slashed?.[2] ?? '';
  const caseSensitive = given.includes('i') ? false : given !== '' || hasCapital(source, true);
  const flags = [...new Set([...given, ...(caseSensitive ? '' : 'i')])].join('');
  let test: RegExp;
  let all: RegExp;
  try {
    test = new RegExp(source, flags);
    all = new RegExp(source, flags + 'g');
  } catch (error) {
    return { ok: false, pattern: input, error: `invalid regex: ${(error as Error).message}` };
  }
  return {
    ok: true,
    pattern: input,
    kind: 'regex',
    invert,
    caseSensitive,
    test: (text) => test.test(text) !== invert,
    ranges: (text) => {
      const out: Array<[number, number]> = [];
      all.lastIndex = 0;
      for (let m = all.exec(text); m !== null && out.length < maxRanges; m = all.exec(text)) {
        // An empty match (^, a*) highlights nothing and must not loop forever.
        if (m[0].length === 0) all.lastIndex += 1;
        else out.push([m.index, m.index + m[0].length]);
      }
      return out;
    },
  };
}
