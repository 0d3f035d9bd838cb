import { z } from 'zod';
import { SeveritySchema } from './severity.js';

/** How an alert names its container; resolved against the inventory, never guessed (DESIGN §4). */
export const ContainerRefSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
});
export type ContainerRef = z.infer<typeof ContainerRefSchema>;

/** The normalized alert every intake format becomes (DESIGN §4). */
export const AlertSchema = z.object({
  id: z.string().min(1),
  time: z.string(),
  source: z.string().min(1),
  rule: z.string().min(1),
  severity: SeveritySchema,
  container: ContainerRefSchema.optional(),
  message: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type Alert = z.infer<typeof AlertSchema>;
