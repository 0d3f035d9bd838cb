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
 * files.tar: each candidate read from the engine (GET /containers/{id}/archive) and packed under its
 * full path, until `limitBytes` would be passed; what does not fit is listed with why. Sequential on
 * purpose: one tar is written in order, and a huge file stops the capture early rather than late.
 */
export async function archiveChanges(
  port: DockerPort,
  containerId: string,
  changes: readonly FilesystemChange[],
  limits: { bytes: number; files: number; callTimeoutMs: number },
  writer: BundleWriter,
  signal: AbortSignal,
): Promise<ArchiveListing> {
  const { files, directories } = archiveCandidates(changes);
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
  const endBlocks = 2 * block;
  let index = 0;
  for (const file of files) {
    index++;
    if (writeFailed) {
      listing.skipped.push({ path: file, reason: `${archiveFile} could not be written` });
      continue;
    }
    if (index > limits.files) {
      listing.skipped.push({ path: file, reason: `over the limit of ${limits.files} files` });
      continue;
    }
    if (signal.aborted) {
      listing.skipped.push({ path: file, reason: 'capture timed out' });
      continue;
    }
    const room = limits.bytes - listing.bytes - endBlocks;
    if (room < block) {
      listing.skipped.push({ path: file, reason: `over the archive limit of ${limits.bytes} bytes` });
      continue;
    }
    try {
      const added = await Promise.race([
        copyOne(port, containerId, file, room, pack, limits.callTimeoutMs, signal),
        broken,
      ]);
      if ('skipped' in added) listing.skipped.push({ path: file, reason: added.skipped });
      else {
        listing.archived.push(...added.entries);
        listing.bytes += added.bytes;
      }
    } catch (error) {
      listing.skipped.push({ path: file, reason: (error as Error).message });
    }
  }
  pack.finalize();
  if (await written) listing.bytes += endBlocks;
  return listing;
}

type CopyResult = { skipped: string } | { entries: ArchiveListing['archived']; bytes: number };

async function copyOne(
  port: DockerPort,
  containerId: string,
  file: string,
  room: number,
  pack: tar.Pack,
  callTimeoutMs: number,
  signal: AbortSignal,
): Promise<CopyResult> {
  const callSignal = AbortSignal.any([signal, AbortSignal.timeout(callTimeoutMs)]);
  const read = await port.archive(containerId, file, { maxBytes: room + tarSlack, signal: callSignal });
  const stat: PathStat | undefined = read.stat;
  if (stat && stat.mode >= goModeDir && Math.floor(stat.mode / goModeDir) % 2 === 1) {
    // An added directory with no changed entries of its own: keep the directory, not what it holds.
    read.stream.destroy();
    const name = file.replace(/^\/+/, '');
    await packEntry(pack, { name, type: 'directory', mode: stat.mode & 0o7777, mtime: new Date(stat.mtime) });
    return { entries: [{ path: file, size: 0, type: 'directory' }], bytes: block };
  }
  if (stat && block + padded(stat.size) > room) {
    read.stream.destroy();
    return { skipped: `${stat.size} bytes: over the archive limit (${room} bytes left)` };
  }
  // Read whole (bounded by `room`) before packing: a read cut short by a timeout or the limit then
  // leaves files.tar intact instead of holding half an entry.
  const chunks: Buffer[] = [];
  for await (const chunk of read.stream) chunks.push(chunk as Buffer);
  return await repack(Buffer.concat(chunks), file, room, pack);
}

/** Copies the entries of one path's tar into the bundle's tar, each renamed to its full path. */
function repack(data: Buffer, file: string, room: number, pack: tar.Pack): Promise<CopyResult> {
  return new Promise<CopyResult>((resolve, reject) => {
    const extract = tar.extract();
    const entries: ArchiveListing['archived'] = [];
    const bodies: { header: tar.Headers; body: Buffer }[] = [];
    let bytes = 0;
    let over: string | undefined;
    extract.on('entry', (header, stream, next) => {
      const size = header.size ?? 0;
      const cost = block + padded(size);
      if (over !== undefined || bytes + cost > room) {
        over ??= `${size} bytes: over the archive limit (${room - bytes} bytes left)`;
        stream.on('end', next).resume();
        return;
      }
      const parts: Buffer[] = [];
      stream.on('data', (c: Buffer) => parts.push(c));
      stream.on('end', () => {
        // Docker names the entry after the path's base name: put it back where it was.
        const name = path.posix.join(path.posix.dirname(file), header.name).replace(/^\/+/, '');
        bodies.push({ header: { ...header, name }, body: Buffer.concat(parts) });
        entries.push({ path: `/${name}`, size, type: header.type ?? 'file' });
        bytes += cost;
        next();
      });
    });
    extract.on('error', reject);
    extract.on('finish', () => {
      if (over !== undefined) {
        resolve({ skipped: over });
        return;
      }
      // All or nothing per path, so the listing never claims what the tar does not hold.
      (async () => {
        for (const { header, body } of bodies) await packEntry(pack, header, body);
        resolve({ entries, bytes });
      })().catch(reject);
    });
    extract.end(data);
  });
}

function packEntry(pack: tar.Pack, header: tar.Headers, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error | null) => (error ? reject(error) : resolve());
    const sink = body === undefined ? pack.entry(header, done) : pack.entry(header, body, done);
    if (!sink) reject(new Error('the bundle archive was closed'));
  });
}
