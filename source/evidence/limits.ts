import { z } from 'zod';

/**
 * How much one capture may take (DESIGN §13): time, bytes and parallel Engine API calls. A capture
 * that reaches a limit stops that part, says so in its reasons, and is recorded as partial.
 */
export const CaptureLimitsSchema = z.strictObject({
  /** The whole capture, from the first call to the manifest. */
  timeout_ms: z.int().positive().default(60_000),
  /** Each Engine API call. */
  call_timeout_ms: z.int().positive().default(10_000),
  /** Log lines asked of the engine (both streams), and the bytes kept of them. */
  log_tail: z.int().min(0).default(1000),
  log_bytes: z
    .int()
    .min(0)
    .default(4 * 1024 * 1024),
  /** Bytes of changed and added files (tar headers included) in files.tar. */
  archive_bytes: z
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /** Changed paths archived at most; the rest are listed as left out. */
  archive_files: z.int().min(0).default(10_000),
  /** Engine API calls of one capture in flight at once. */
  concurrency: z.int().min(1).max(16).default(4),
});
export type CaptureLimits = z.output<typeof CaptureLimitsSchema>;
export type CaptureLimitsInput = z.input<typeof CaptureLimitsSchema>;

export const defaultCaptureLimits: CaptureLimits = CaptureLimitsSchema.parse({});
