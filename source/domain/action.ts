import { z } from 'zod';

/** What Brig can do to a container, in the normalized form the engine and executor use. */
export const ActionSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pause') }),
  z.object({ kind: z.literal('stop'), timeoutSecs: z.number().int().min(0).default(10) }),
  z.object({ kind: z.literal('kill'), signal: z.string().default('SIGKILL') }),
  z.object({ kind: z.literal('restart'), timeoutSecs: z.number().int().min(0).default(10) }),
  /** networks: [] = every network the container is on. */
  z.object({ kind: z.literal('network-disconnect'), networks: z.array(z.string()).default([]) }),
  z.object({ kind: z.literal('quarantine'), network: z.string().default('brig-quarantine') }),
  z.object({
    kind: z.literal('throttle'),
    cpus: z.number().positive().optional(),
    pidsLimit: z.number().int().positive().optional(),
    /** bytes */
    memory: z.number().int().positive().optional(),
  }),
  z.object({ kind: z.literal('notify') }),
  /** Evidence (DESIGN §13): changes nothing in the container, keeps what it was doing. */
  z.object({ kind: z.literal('capture') }),
]);
export type ActionSpec = z.infer<typeof ActionSpecSchema>;
export type ActionKind = ActionSpec['kind'];

export const actionKinds = [
  'pause',
  'stop',
  'kill',
  'restart',
  'network-disconnect',
  'quarantine',
  'throttle',
  'notify',
  'capture',
] as const satisfies readonly ActionKind[];

/** Journal/record names: the action kinds plus "restore" (DESIGN §7). */
export const ActionNameSchema = z.enum([...actionKinds, 'restore']);
export type ActionName = z.infer<typeof ActionNameSchema>;
