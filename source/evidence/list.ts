import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { manifestFile, ManifestSchema } from './manifest.js';

export interface BundleSummary {
  name: string;
  dir: string;
  container?: { id: string; name: string };
  started?: string;
  complete?: boolean;
  files?: number;
  bytes?: number;
  reasons?: string[];
  /** The manifest is missing or unreadable: the bundle cannot be verified. */
  problem?: string;
}

/** `brig evidence list`: every bundle under `root`, oldest first (names start with the UTC time). */
export async function listBundles(root: string): Promise<BundleSummary[]> {
  let names: string[];
  try {
    const entries = await readdir(root, { withFileTypes: true });
    names = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: BundleSummary[] = [];
  for (const name of names.sort()) {
    const dir = path.join(root, name);
    try {
      const m = ManifestSchema.parse(JSON.parse(await readFile(path.join(dir, manifestFile), 'utf8')));
      out.push({
        name,
        dir,
        container: m.container,
        started: m.started,
        complete: m.complete,
        files: m.files.length,
        bytes: m.files.reduce((n, f) => n + f.size, 0),
        reasons: m.reasons,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      out.push({ name, dir, problem: code === 'ENOENT' ? 'no manifest.json' : 'manifest.json unreadable' });
    }
  }
  return out;
}
