import { z } from 'zod';
import type { Container, ContainerState, Endpoint } from '../domain/container.js';
import { ContainerStateSchema, containerIdPattern } from '../domain/container.js';

/**
 * The part of `docker inspect` (GET /containers/{id}/json) Brig reads, with Docker's own field
 * names. Loose: every other field is kept, so the audit and saved inventories see all of it.
 */
const EndpointSettingsSchema = z.looseObject({
  NetworkID: z.string().optional().default(''),
  Aliases: z.array(z.string()).nullish(),
  IPAMConfig: z.record(z.string(), z.unknown()).nullish(),
  Links: z.array(z.string()).nullish(),
  DriverOpts: z.record(z.string(), z.string()).nullish(),
  IPAddress: z.string().optional(),
});

export const ContainerInspectSchema = z.looseObject({
  Id: z.string().regex(containerIdPattern, 'expected a 64-hex container id'),
  Name: z.string(),
  RestartCount: z.number().optional().default(0),
  State: z.looseObject({
    Status: z.string(),
    Running: z.boolean().optional(),
    Paused: z.boolean().optional(),
    Pid: z.number().optional().default(0),
    StartedAt: z.string().optional(),
    Health: z.looseObject({ Status: z.string() }).optional(),
  }),
  Config: z.looseObject({
    Image: z.string(),
    Labels: z.record(z.string(), z.string()).nullish(),
    User: z.string().optional(),
  }),
  HostConfig: z
    .looseObject({
      NetworkMode: z.string().optional(),
      NanoCpus: z.number().nullish(),
      CpuQuota: z.number().nullish(),
      CpuPeriod: z.number().nullish(),
      PidsLimit: z.number().nullish(),
      Memory: z.number().nullish(),
      MemorySwap: z.number().nullish(),
    })
    .optional()
    .default({}),
  NetworkSettings: z
    .looseObject({ Networks: z.record(z.string(), EndpointSettingsSchema).nullish() })
    .optional()
    .default({}),
});
export type ContainerInspect = z.infer<typeof ContainerInspectSchema>;

/**
 * The parsed document with its members in the order the engine sent them (the schema puts the
 * fields it names first), at every depth: the Inspect view shows the engine's answer as it was.
 * Values are the parsed ones, so defaults the schema fills in are kept (at the end).
 */
export function inEngineOrder<T>(parsed: T, raw: unknown): T {
  if (Array.isArray(parsed) && Array.isArray(raw))
    return parsed.map((item, i) => inEngineOrder(item, raw[i])) as T;
  if (!isPlainObject(parsed) || !isPlainObject(raw)) return parsed;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (key in parsed) out[key] = inEngineOrder(parsed[key], raw[key]);
  for (const key of Object.keys(parsed)) if (!(key in out)) out[key] = parsed[key];
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stateOf(status: string): ContainerState {
  const parsed = ContainerStateSchema.safeParse(status);
  return parsed.success ? parsed.data : 'dead';
}

/**
 * The aliases someone gave an endpoint: the short id the engine adds by itself is dropped, or a
 * reconnect would pass it back and Podman adds another copy each time.
 */
function userAliases(aliases: string[] | null | undefined, id: string): string[] | null {
  if (!aliases) return null;
  const own = aliases.filter((a) => a !== id.slice(0, 12));
  return own.length === 0 && aliases.length > 0 ? null : own;
}

/** Turn an inspect document into the inventory's Container. */
export function containerFromInspect(info: ContainerInspect, engine: string): Container {
  const hc = info.HostConfig;
  const networks: Endpoint[] = Object.entries(info.NetworkSettings.Networks ?? {}).map(([network, ep]) => ({
    network,
    networkId: ep.NetworkID ?? '',
    aliases: userAliases(ep.Aliases, info.Id),
    ipamConfig: ep.IPAMConfig ?? null,
    links: ep.Links ?? null,
    driverOpts: ep.DriverOpts ?? null,
    ipAddress: ep.IPAddress || undefined,
  }));
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    image: info.Config.Image,
    state: stateOf(info.State.Status),
    labels: info.Config.Labels ?? {},
    engine,
    pid: info.State.Pid ?? 0,
    networkMode: hc.NetworkMode ?? 'default',
    networks,
    limits: {
      nanoCpus: hc.NanoCpus ?? 0,
      cpuQuota: hc.CpuQuota ?? 0,
      cpuPeriod: hc.CpuPeriod ?? 0,
      pidsLimit: hc.PidsLimit ?? 0,
      memory: hc.Memory ?? 0,
      memorySwap: hc.MemorySwap ?? 0,
    },
    restartCount: info.RestartCount ?? 0,
    health: info.State.Health?.Status,
    startedAt: info.State.StartedAt,
    stale: false,
  };
}
