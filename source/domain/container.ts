import { z } from 'zod';

export const ContainerStateSchema = z.enum([
  'created',
  'running',
  'paused',
  'restarting',
  'removing',
  // Podman's: between the stop request and the exit (Docker has no such state).
  'stopping',
  'exited',
  'dead',
]);
export type ContainerState = z.infer<typeof ContainerStateSchema>;

/** One network endpoint, with everything needed to reconnect it exactly as it was (DESIGN §6). */
export const EndpointSchema = z.object({
  network: z.string(),
  networkId: z.string(),
  aliases: z.array(z.string()).nullable(),
  ipamConfig: z.record(z.string(), z.unknown()).nullable(),
  links: z.array(z.string()).nullable(),
  driverOpts: z.record(z.string(), z.string()).nullable(),
  ipAddress: z.string().optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

/** Resource limits as the Engine API names them; 0 means "no limit". */
export const LimitsSchema = z.object({
  nanoCpus: z.number(),
  cpuQuota: z.number(),
  cpuPeriod: z.number(),
  pidsLimit: z.number(),
  memory: z.number(),
  memorySwap: z.number(),
});
export type Limits = z.infer<typeof LimitsSchema>;

/** A full container id: 64 hex digits. The one spelling of it; the patterns below derive from it. */
export const containerIdText = '[0-9a-f]{64}';
/** A full id or a prefix of one, at least as long as `docker ps` shows (12 hex digits). */
export const containerIdRefText = '[0-9a-f]{12,64}';
export const containerIdPattern = new RegExp(`^${containerIdText}$`);
export const containerIdRefPattern = new RegExp(`^${containerIdRefText}$`);

/** A container as the inventory knows it. `engine` is the host it runs on. */
export const ContainerSchema = z.object({
  id: z.string().regex(containerIdPattern),
  name: z.string(),
  image: z.string(),
  state: ContainerStateSchema,
  labels: z.record(z.string(), z.string()),
  engine: z.string(),
  /** Main process pid on the host (0 when not running); the cgroup reader starts from it. */
  pid: z.number(),
  networkMode: z.string(),
  networks: z.array(EndpointSchema),
  limits: LimitsSchema,
  restartCount: z.number(),
  health: z.string().optional(),
  startedAt: z.string().optional(),
  /** The engine went away: the last known state is shown, marked stale, not dropped. */
  stale: z.boolean(),
});
export type Container = z.infer<typeof ContainerSchema>;
