import { z } from 'zod';

/** Which output of the container a log line came from (both are followed). */
export const LogStreamSchema = z.enum(['stdout', 'stderr']);
export type LogStream = z.infer<typeof LogStreamSchema>;

/** One line of a container's log, as the engine timestamped it. */
export const LogLineSchema = z.object({
  /** The engine's RFC3339Nano time, as sent; absent when the line carried none (it cannot be parsed). */
  time: z.string().optional(),
  /** Epoch ms of `time` (millisecond precision is what the view shows); absent with `time`. */
  ms: z.number().optional(),
  stream: LogStreamSchema,
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/** What a view asks for when it starts following. */
export const FollowLogsOptionsSchema = z.object({
  /** Lines of history to start with (the engine's `tail`). */
  tail: z.number().int().nonnegative(),
  /** Only lines at or after this ISO time (the engine's `since`). */
  since: z.string().optional(),
});
export type FollowLogsOptions = z.infer<typeof FollowLogsOptionsSchema>;

/**
 * What a follow tells its listener: lines as they come, then at most one `end` (the container
 * stopped, the engine went away, the container is unknown). Errors are messages, never throws.
 */
export const LogEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('line'), line: LogLineSchema }),
  z.object({ type: z.literal('end'), message: z.string(), error: z.boolean() }),
]);
export type LogEvent = z.infer<typeof LogEventSchema>;
