import { z } from 'zod';
import { TargetSchema } from '../domain/decision.js';
import type { CaptureResult } from './capture.js';

/**
 * The journal's `capture` record (DESIGN §7): container, dir, manifest_sha256 and complete are the
 * fields outside tools read; the rest says why a capture is partial and what it cost.
 */
export const CaptureRecordSchema = z.object({
  type: z.literal('capture'),
  container: TargetSchema,
  dir: z.string(),
  /** null: the manifest could not be written, so the bundle cannot be verified. */
  manifest_sha256: z.string().nullable(),
  complete: z.boolean(),
  alert: z.string().nullable(),
  trace: z.string(),
  reasons: z.array(z.string()),
  files: z.number(),
  bytes: z.number(),
  duration_ms: z.number(),
});
export type CaptureRecordEntry = z.infer<typeof CaptureRecordSchema>;

/** What the engine journals after captureEvidence (before v and ts are stamped). */
export function captureRecord(result: CaptureResult): CaptureRecordEntry {
  return {
    type: 'capture',
    container: result.container,
    dir: result.dir,
    manifest_sha256: result.manifestSha256 ?? null,
    complete: result.complete,
    alert: result.alert,
    trace: result.trace,
    reasons: result.reasons,
    files: result.files,
    bytes: result.bytes,
    duration_ms: result.durationMs,
  };
}
