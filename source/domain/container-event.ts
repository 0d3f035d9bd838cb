import { z } from 'zod';

/**
 * One Docker event of one container, as the per-container timeline shows it: `action` is the
 * engine's word (create, start, pause, die, kill, oom, health_status, network connect, …) and
 * `detail` what the event carries that matters (an exit code, a signal, a health state, a network).
 */
export const ContainerEventSchema = z.object({
  /** ISO time the engine gave the event. */
  time: z.string(),
  action: z.string(),
  detail: z.string().optional(),
});
export type ContainerEvent = z.infer<typeof ContainerEventSchema>;

/** How many recent events are kept per container (a ring: the oldest go first). */
export const containerEventsKept = 50;
