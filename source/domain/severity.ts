import { z } from 'zod';

export const severities = ['Info', 'Low', 'Medium', 'High', 'Critical'] as const;
export const SeveritySchema = z.enum(severities);
export type Severity = z.infer<typeof SeveritySchema>;

const byLowerName = new Map<string, Severity>(severities.map((s) => [s.toLowerCase(), s]));

/** Severity names are case-insensitive everywhere (DESIGN §4). */
export function parseSeverity(value: unknown): Severity | undefined {
  return typeof value === 'string' ? byLowerName.get(value.trim().toLowerCase()) : undefined;
}

/** A zod schema that accepts any casing and yields the canonical name. */
export const SeverityInputSchema = z.string().transform((value, ctx) => {
  const severity = parseSeverity(value);
  if (!severity) {
    ctx.addIssue({ code: 'custom', message: `expected one of ${severities.join(', ')}` });
    return z.NEVER;
  }
  return severity;
});

export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}

/**
 * Severity words as alerting rules write them (Alertmanager `labels.severity`), to Brig severities.
 * The README's severity table is this list; `[intake] severity_words` in the config adds or overrides
 * words. A word not here becomes Info and is journaled (`unknown-severity`), never silently.
 */
export const severityWordTable: readonly (readonly [Severity, readonly string[]])[] = [
  [
    'Critical',
    ['critical', 'crit', 'page', 'fatal', 'emergency', 'emerg', 'alert', 'disaster', 'p1', 'sev1'],
  ],
  ['High', ['error', 'err', 'high', 'major', 'severe', 'p2', 'sev2']],
  ['Medium', ['warning', 'warn', 'medium', 'moderate', 'average', 'p3', 'sev3']],
  ['Low', ['low', 'minor', 'notice', 'ticket', 'p4', 'sev4']],
  ['Info', ['info', 'informational', 'information', 'none', 'debug', 'ok', 'p5', 'sev5']],
];

export type SeverityWords = ReadonlyMap<string, Severity>;

export const defaultSeverityWords: SeverityWords = new Map(
  severityWordTable.flatMap(([severity, words]) => words.map((w) => [w, severity] as const)),
);

/** The default table plus the config's words (already validated to Brig severities); words fold case. */
export function severityWords(extra: Readonly<Record<string, Severity>> = {}): SeverityWords {
  const table = new Map(defaultSeverityWords);
  for (const [word, severity] of Object.entries(extra)) table.set(foldWord(word), severity);
  return table;
}

export function foldWord(word: string): string {
  return word.trim().toLowerCase();
}

/** `[intake] severity_words = { sev0 = "Critical" }`: word → a Brig severity in any casing. */
export const SeverityWordsConfigSchema = z
  .record(z.string().min(1, 'a severity word must not be empty'), SeverityInputSchema)
  .default({});
