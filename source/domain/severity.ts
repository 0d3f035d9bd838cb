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
