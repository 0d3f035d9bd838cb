import path from 'node:path';
import tar from 'tar-stream';
import type { DockerPort, FilesystemChange, PathStat } from '../docker/docker-port.js';
import type { BundleWriter } from './bundle-writer.js';

export const archiveFile = 'files.tar';

/** One entry of files.json: what files.tar holds, and what it does not and why. */
export interface ArchiveListing {
  archived: { path: string; size: number; type: string }[];
  /** Directories whose changed entries are listed (and archived) one by one. */
  directories: string[];
  skipped: { path: string; reason: string }[];
  /** Bytes of files.tar, headers and padding included. */
  bytes: number;
  limit: number;
}

const block = 512;
const padded = (size: number) => Math.ceil(size / block) * block;
/** Go's os.ModeDir: the type bit of the path-stat header. */
const goModeDir = 2 ** 31;
/** What one path's tar carries besides its data: header, PAX records, end blocks. */
const tarSlack = 8 * 1024;
/** Bytes of a directory's tar read past (files over the limit) before the read stops. */
const skipAllowance = 16 * 1024 * 1024;

/**
 * The changed and added paths worth archiving: deleted ones have nothing to keep, and a directory
 * that has changed entries of its own is covered by those entries (archiving it would pull in every
 * unchanged file below it).
 */
export function archiveCandidates(changes: readonly FilesystemChange[]): {
  files: string[];
  directories: string[];
} {
  const paths = [...new Set(changes.map((c) => c.path))].sort();
  const parents = new Set<string>();
  for (const p of paths) {
    for (let d = path.posix.dirname(p); d !== '/' && d !== '.'; d = path.posix.dirname(d)) parents.add(d);
  }
  const kept = changes.filter((c) => c.kind !== 'deleted').map((c) => c.path);
  const unique = [...new Set(kept)].sort();
  return {
    files: unique.filter((p) => !parents.has(p)),
    directories: unique.filter((p) => parents.has(p)),
  };
}

/**
 * The reads that cover the candidates: a file under a directory that was itself added is read with
 * the highest such directory (everything in it is new), so 1,000 files dropped into a new directory
 * cost one Engine API call, not 1,000 (each read mounts the container's filesystem: ~0.1 s).
 * Anything else is read on its own.
 */
export function archiveRoots(changes: readonly FilesystemChange[]): Map<string, string[]> {
  const { files } = archiveCandidates(changes);
  const added = new Set(changes.filter((c) => c.kind === 'added').map((c) => c.path));
  const roots = new Map<string, string[]>();
  for (const file of files) {
    let root = file;
    for (let d = path.posix.dirname(file); d !== '/' && d !== '.'; d = path.posix.dirname(d)) {
      if (added.has(d)) root = d;
    }
    const group = roots.get(root);
    if (group) group.push(file);
    else roots.set(root, [file]);
  }
  return roots;
}

/**
 * files.tar: the changed and added files read from the engine (GET /containers/{id}/archive) and
 * packed under their full paths, until `limits.bytes` would be passed; what does not fit is listed
 * with why. One read at a time: the engine serializes them anyway, and one tar is written in order.
 */
export async function archiveChanges(
  port: DockerPort,
  containerId: string,
  changes: readonly FilesystemChange[],
  limits: { bytes: number; files: number; callTimeoutMs: number },
  writer: BundleWriter,
  signal: AbortSignal,
): Promise<ArchiveListing> {
  const { directories } = archiveCandidates(changes);
  const kinds = new Map(changes.map((c) => [c.path, c.kind]));
  const listing: ArchiveListing = { archived: [], directories, skipped: [], bytes: 0, limit: limits.bytes };
  const pack = tar.pack();
  const written = writer.writeStream(archiveFile, pack);
  let writeFailed = false;
  // Settles only if files.tar fails: a copy waiting on the dead pack then gives up.
  const broken = written.then((ok) => {
    if (ok) return new Promise<never>(() => undefined);
    writeFailed = true;
    throw new Error(`${archiveFile} could not be written`);
  });
  broken.catch(() => undefined);
  const budget = { left: limits.bytes - 2 * block, files: limits.files };
  for (const [root, files] of archiveRoots(changes)) {
    const skipAll = (reason: string) => {
      for (const file of files) listing.skipped.push({ path: file, reason });
    };
    if (writeFailed) skipAll(`${archiveFile} could not be written`);
    else if (signal.aborted) skipAll('capture timed out');
    else if (budget.files <= 0) skipAll(`over the limit of ${limits.files} files`);
    else if (budget.left < block) skipAll(`over the archive limit of ${limits.bytes} bytes`);
    else {
      const done = new Set<string>();
      let stop: string | undefined;
      try {
        stop = await Promise.race([
          copyTree(port, containerId, root, kinds.get(root), budget, pack, listing, done, limits, signal),
          broken,
        ]);
      } catch (error) {
        stop = (error as Error).message;
      }
      for (const file of files) {
        if (!done.has(file))
          listing.skipped.push({ path: file, reason: stop ?? "not in the engine's archive" });
      }
    }
  }
  pack.finalize();
  if (await written) listing.bytes += 2 * block;
  return listing;
}

/**
 * Streams the tar of one root and packs its entries one by one, each whole or not at all (a read cut
 * short never leaves half an entry in files.tar). Returns why it stopped early, if it did.
 */
async function copyTree(
  port: DockerPort,
  containerId: string,
  root: string,
  kind: FilesystemChange['kind'] | undefined,
  budget: { left: number; files: number },
  pack: tar.Pack,
  listing: ArchiveListing,
  done: Set<string>,
  limits: { bytes: number; files: number; callTimeoutMs: number },
  signal: AbortSignal,
): Promise<string | undefined> {
  const callSignal = AbortSignal.any([signal, AbortSignal.timeout(limits.callTimeoutMs)]);
  // A directory's tar may hold files too big to keep: those are read past, up to skipAllowance.
  const maxBytes = budget.left + tarSlack + (kind === 'added' ? skipAllowance : 0);
  const read = await port.archive(containerId, root, { maxBytes, signal: callSignal });
  const stat: PathStat | undefined = read.stat;
  const isDir = stat !== undefined && Math.floor(stat.mode / goModeDir) % 2 === 1;
  if (isDir && kind !== 'added') {
    // A changed directory with no changed entries of its own: keep the directory, not what it holds.
    read.stream.destroy();
    const name = root.replace(/^\/+/, '');
    await packEntry(pack, { name, type: 'directory', mode: stat.mode & 0o7777, mtime: new Date(stat.mtime) });
    budget.left -= block;
    budget.files--;
    listing.bytes += block;
    listing.archived.push({ path: root, size: 0, type: 'directory' });
    done.add(root);
    return undefined;
  }
  if (!isDir && stat && block + padded(stat.size) > budget.left) {
    read.stream.destroy();
    return `${stat.size} bytes: over the archive limit (${budget.left} bytes left)`;
  }
  return await new Promise<string | undefined>((resolve, reject) => {
    const extract = tar.extract();
    let settled = false;
    const finish = (why: string | undefined | Error) => {
      if (settled) return;
      settled = true;
      read.stream.destroy();
      if (why instanceof Error) reject(why);
      else resolve(why);
    };
    extract.on('entry', (header, stream, next) => {
      const size = header.size ?? 0;
      const cost = block + padded(size);
      if (budget.files <= 0) {
        finish(`over the limit of ${limits.files} files`);
        return;
      }
      // Docker names entries after the root's base name: put them back where they were.
      const name = path.posix.join(path.posix.dirname(root), header.name).replace(/^\/+|\/+$/g, '');
      if (cost > budget.left) {
        // Too big: listed, read past (within the read's own limit), and the rest still taken.
        listing.skipped.push({
          path: `/${name}`,
          reason: `${size} bytes: over the archive limit (${budget.left} bytes left)`,
        });
        done.add(`/${name}`);
        stream.on('end', next).resume();
        return;
      }
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        packEntry(pack, { ...header, name }, header.type === 'file' ? Buffer.concat(parts) : undefined).then(
          () => {
            budget.left -= cost;
            budget.files--;
            listing.bytes += cost;
            listing.archived.push({ path: `/${name}`, size, type: header.type ?? 'file' });
            done.add(`/${name}`);
            next();
          },
          (error: Error) => finish(error),
        );
      });
    });
    extract.on('finish', () => finish(undefined));
    extract.on('error', (error) => finish(error));
    read.stream.on('error', (error) => finish(error));
    read.stream.pipe(extract);
  });
}

function packEntry(pack: tar.Pack, header: tar.Headers, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    const sink = body === undefined ? pack.entry(header, done) : pack.entry(header, body, done);
    if (!sink) reject(new Error('the bundle archive was closed'));
  });
}
