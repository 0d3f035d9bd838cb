import { z } from 'zod';
import type { ContainerInspect } from '../docker/inspect.js';

const strings = z.array(z.string()).nullish();

/**
 * The security-relevant part of `docker inspect`, with Docker's own field names. Every field may be
 * absent (older engines, saved inventories); a field of the wrong type is reported, never guessed.
 */
export const SecurityViewSchema = z.object({
  AppArmorProfile: z.string().nullish(),
  Mounts: z
    .array(
      z.looseObject({
        Type: z.string().nullish(),
        Source: z.string().nullish(),
        Destination: z.string().nullish(),
        RW: z.boolean().nullish(),
      }),
    )
    .nullish(),
  Config: z.looseObject({ User: z.string().nullish() }).nullish(),
  HostConfig: z
    .looseObject({
      Privileged: z.boolean().nullish(),
      CapAdd: strings,
      CapDrop: strings,
      SecurityOpt: strings,
      ReadonlyRootfs: z.boolean().nullish(),
      NetworkMode: z.string().nullish(),
      PidMode: z.string().nullish(),
      IpcMode: z.string().nullish(),
      Memory: z.number().nullish(),
      NanoCpus: z.number().nullish(),
      CpuQuota: z.number().nullish(),
      PidsLimit: z.number().nullish(),
      Binds: strings,
      Mounts: z
        .array(
          z.looseObject({
            Type: z.string().nullish(),
            Source: z.string().nullish(),
            Target: z.string().nullish(),
            ReadOnly: z.boolean().nullish(),
          }),
        )
        .nullish(),
    })
    .nullish(),
});
export type SecurityView = z.infer<typeof SecurityViewSchema>;

export type SecurityViewResult = { ok: true; view: SecurityView } | { ok: false; detail: string };

/** Read the fields the audit grades; a malformed one is named by its path (e.g. HostConfig.CapAdd). */
export function readSecurityView(inspect: ContainerInspect): SecurityViewResult {
  const parsed = SecurityViewSchema.safeParse(inspect);
  if (parsed.success) return { ok: true, view: parsed.data };
  const issue = parsed.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(document)';
  return { ok: false, detail: `${path}: ${issue?.message ?? 'unreadable'}` };
}
