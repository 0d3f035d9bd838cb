import micromatch from 'micromatch';

/**
 * Brig's globs (DESIGN §3): `*` any run of characters including `/`, `?` one character, whole string,
 * case-sensitive. micromatch treats `/` as a path separator (`*` and `?` stop at it), so both the
 * pattern and the subject have `/` swapped for a character no user writes: then micromatch's
 * wildcards cross it while everything else (braces, classes, `!` negation) keeps its meaning.
 */
const SLASH_STAND_IN = '\u0001';

export function globSubject(value: string): string {
  return value.includes('/') ? value.replaceAll('/', SLASH_STAND_IN) : value;
}

/** Tests a subject already passed through globSubject. */
export type Matcher = (subject: string) => boolean;

/** One matcher for a list of globs (OR); undefined when the list is empty (no constraint). */
export function compileGlobs(patterns: readonly string[]): Matcher | undefined {
  if (patterns.length === 0) return undefined;
  const literals = new Set<string>();
  const regexes: RegExp[] = [];
  for (const pattern of patterns) {
    const mapped = globSubject(pattern);
    if (micromatch.scan(mapped).isGlob) regexes.push(micromatch.makeRe(mapped, { dot: true, bash: true }));
    else literals.add(mapped);
  }
  // Exact names are the common case: a set lookup beats a regex.
  if (regexes.length === 0) return (subject) => literals.has(subject);
  const combined = new RegExp(regexes.map((r) => `(?:${r.source})`).join('|'), regexes[0]!.flags);
  if (literals.size === 0) return (subject) => combined.test(subject);
  return (subject) => literals.has(subject) || combined.test(subject);
}

/** Convenience for one-off tests (not on the hot path). */
export function globMatches(patterns: readonly string[], value: string): boolean {
  const matcher = compileGlobs(patterns);
  return matcher === undefined || matcher(globSubject(value));
}
