import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SeccompProfileSchema, type SeccompProfile } from './seccomp-profile.js';

export type HardenLevel = 'minimal' | 'standard' | 'maximum';
export const hardenLevels: readonly HardenLevel[] = ['minimal', 'standard', 'maximum'];

/** policies/seccomp/ of the installed package (from source/audit/ and from dist/audit/ alike). */
export const seccompDirectory = fileURLToPath(new URL('../../policies/seccomp/', import.meta.url));

export function seccompProfilePath(level: HardenLevel): string {
  return `${seccompDirectory}${level}.json`;
}

export interface LoadedProfile {
  path: string;
  profile: SeccompProfile;
  /** Compact JSON: what the Engine API takes in `SecurityOpt: ["seccomp=<json>"]`. */
  json: string;
}

/** Read and validate a profile file; a bad one is an error naming the file and the field. */
export async function loadSeccompProfile(path: string): Promise<LoadedProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `${path}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not JSON: ${(error as Error).message}`);
  }
  const parsed = SeccompProfileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.map(String).join('.') || '(document)'}: ${issue.message}`);
  }
  return { path, profile: parsed.data, json: JSON.stringify(parsed.data) };
}
