import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const manifestFormat = 'brig-evidence/1';
export const manifestFile = 'manifest.json';

export const ManifestEntrySchema = z.object({
  name: z.string(),
  size: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/** manifest.json: every other file of the bundle with its size and sha256 (DESIGN §13). */
export const ManifestSchema = z.looseObject({
  format: z.literal(manifestFormat),
  brig: z.string(),
  engine: z.looseObject({ host: z.string(), version: z.string().optional(), os: z.string().optional() }),
  container: z.object({ id: z.string(), name: z.string() }),
  trace: z.string(),
  alert: z.string().nullable(),
  origin: z.string(),
  started: z.string(),
  finished: z.string(),
  complete: z.boolean(),
  reasons: z.array(z.string()),
  limits: z.record(z.string(), z.unknown()),
  files: z.array(ManifestEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

let version: string | undefined;
/** Brig's version from its package.json (source/evidence and dist/evidence are both two levels down). */
export function brigVersion(): string {
  if (version === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        version?: string;
      };
      version = pkg.version ?? 'unknown';
    } catch {
      version = 'unknown';
    }
  }
  return version;
}
