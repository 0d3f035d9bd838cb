import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, open, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ManifestEntry } from './manifest.js';

const diskFull = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Writes the files of one bundle (0600, in a 0700 directory), hashing each as it goes. A write that
 * fails is a reason, never a throw: after a full disk nothing more is attempted, so the capture ends
 * quickly as partial with "disk full" in its reasons.
 */
export class BundleWriter {
  readonly entries: ManifestEntry[] = [];
  readonly reasons: string[] = [];
  private full = false;

  private constructor(readonly dir: string) {}

  /** Creates `root` (0700 when new) and a fresh bundle directory `name` in it (a suffix if taken). */
  static async create(root: string, name: string): Promise<BundleWriter> {
    await mkdir(root, { recursive: true, mode: 0o700 });
    for (let n = 1; ; n++) {
      const dir = path.join(root, n === 1 ? name : `${name}-${n}`);
      try {
        await mkdir(dir, { mode: 0o700 });
        // mkdir's mode is filtered by the umask; the bundle must be private whatever it is.
        await chmod(dir, 0o700);
        return new BundleWriter(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
      }
    }
  }

  get diskFull(): boolean {
    return this.full;
  }

  /** Writes one whole file; false if it was not written (the reason is recorded). */
  async write(name: string, data: Buffer | string): Promise<boolean> {
    if (this.full) return this.notWritten(name);
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const file = path.join(this.dir, name);
    try {
      const handle = await open(file, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.entries.push({
        name,
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
      return true;
    } catch (error) {
      await this.failed(name, file, error);
      return false;
    }
  }

  /** Streams `source` into a file; resolves false if it was not written whole (reason recorded). */
  async writeStream(name: string, source: Readable): Promise<boolean> {
    if (this.full) {
      source.destroy();
      return this.notWritten(name);
    }
    const file = path.join(this.dir, name);
    const hash = createHash('sha256');
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const out = createWriteStream(file, { flags: 'wx', mode: 0o600, flush: true });
      await pipeline(source, tap, out);
      this.entries.push({ name, size, sha256: hash.digest('hex') });
      return true;
    } catch (error) {
      await this.failed(name, file, error);
      return false;
    }
  }

  private notWritten(name: string): boolean {
    this.reasons.push(`${name}: not written (disk full)`);
    return false;
  }

  private async failed(name: string, file: string, error: unknown): Promise<void> {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && diskFull.has(code)) {
      this.full = true;
      this.reasons.push(`${name}: disk full (${code}) in ${this.dir}: the bundle is partial`);
    } else {
      this.reasons.push(`${name}: not written: ${(error as Error).message}`);
    }
    // A half-written file would not be in the manifest and would fail verify: remove it.
    await unlink(file).catch(() => undefined);
  }
}
