import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { scanJournal } from '../journal/read-journal.js';
import { manifestFile, ManifestSchema, sha256, type Manifest } from './manifest.js';

export interface VerifyResult {
  ok: boolean;
  /** The first file that differs, and how. */
  problem?: { file: string; message: string };
  /** Files whose size and sha256 matched the manifest. */
  checked: number;
  manifest?: Manifest;
  /** The journal file that holds the bundle's capture record. */
  journal?: string;
}

/** The journal and its rotations (<file>.1, <file>.2, …), newest first, as far as they exist. */
async function journalFiles(journal: string): Promise<string[]> {
  const files = [journal];
  for (let i = 1; i < 1000; i++) {
    const rotated = `${journal}.${i}`;
    if (
      !(await stat(rotated).then(
        () => true,
        () => false,
      ))
    )
      break;
    files.push(rotated);
  }
  return files;
}

/** The manifest sha256 of the newest `capture` record naming this bundle (by path, or by its unique name). */
async function journaledSha(
  dir: string,
  journal: string,
): Promise<{ sha: string | null; file: string } | undefined> {
  const full = path.resolve(dir);
  const base = path.basename(full);
  for (const file of await journalFiles(journal)) {
    let found: { sha: string | null; file: string } | undefined;
    await scanJournal(file, {
      record(record) {
        const r = record as unknown as { type?: string; dir?: unknown; manifest_sha256?: unknown };
        if (r.type !== 'capture' || typeof r.dir !== 'string') return;
        if (path.resolve(r.dir) !== full && path.basename(r.dir) !== base) return;
        found = { sha: typeof r.manifest_sha256 === 'string' ? r.manifest_sha256 : null, file };
      },
      skip: () => undefined,
    });
    if (found) return found;
  }
  return undefined;
}

function hashFile(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * `brig evidence verify DIR` (DESIGN §13): the manifest against the journal's capture record, then
 * every file against the manifest, then no file that the manifest does not name. Stops at the first
 * difference and names the file.
 */
export async function verifyBundle(dir: string, journal: string): Promise<VerifyResult> {
  const fail = (file: string, message: string, checked = 0, manifest?: Manifest): VerifyResult => ({
    ok: false,
    problem: { file, message },
    checked,
    manifest,
  });
  let text: Buffer;
  try {
    text = await readFile(path.join(dir, manifestFile));
  } catch (error) {
    return fail(manifestFile, `cannot be read: ${(error as Error).message}`);
  }
  const actual = sha256(text);
  const journaled = await journaledSha(dir, journal);
  if (!journaled) return fail(manifestFile, `no capture record for this bundle in the journal ${journal}`);
  if (journaled.sha === null)
    return fail(manifestFile, `the journal's capture record (${journaled.file}) has no manifest sha256`);
  if (journaled.sha !== actual)
    return fail(
      manifestFile,
      `sha256 ${actual} differs from the journal's capture record (${journaled.sha}, ${journaled.file})`,
    );
  let manifest: Manifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(text.toString('utf8')));
  } catch (error) {
    return fail(manifestFile, `not a Brig evidence manifest: ${(error as Error).message.slice(0, 200)}`);
  }
  let checked = 0;
  for (const entry of manifest.files) {
    if (entry.name.includes('/') || entry.name.includes('\\') || entry.name.startsWith('.'))
      return fail(entry.name, 'not a plain file name of the bundle', checked, manifest);
    const file = path.join(dir, entry.name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return fail(entry.name, 'missing', checked, manifest);
    if (info.size !== entry.size)
      return fail(entry.name, `size ${info.size} bytes, the manifest says ${entry.size}`, checked, manifest);
    const sha = await hashFile(file);
    if (sha !== entry.sha256)
      return fail(entry.name, `sha256 ${sha}, the manifest says ${entry.sha256}`, checked, manifest);
    checked++;
  }
  const named = new Set([manifestFile, ...manifest.files.map((f) => f.name)]);
  for (const name of (await readdir(dir)).sort()) {
    if (!named.has(name)) return fail(name, 'not in the manifest', checked, manifest);
  }
  return { ok: true, checked, manifest, journal: journaled.file };
}
