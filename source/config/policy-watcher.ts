import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PolicyLoadResult } from './policy-loader.js';
import { loadPolicyDir } from './policy-loader.js';

/** config.toml `[policies] reload_quiet_ms`: longer than the 1.5 s pause of issue 11.10's writer. */
export const defaultReloadQuietMs = 2000;

/**
 * Hot reload (README "Policies"): watch the policy directory and hand every reload's full result to
 * `onReload`. Nothing is read until the directory has been quiet for `quietMs`: no change event and
 * no file modified for that long, so a file written in parts is not loaded half-written (issue
 * 11.10) and an editor's save (write, rename, chmod) is one reload. Writing by rename is the
 * operator's way to make a change atomic; the quiet period is the safety net. The receiver
 * decides: a result with errors must leave the last good set in force (and show/journal the
 * errors); a clean result replaces the set in one assignment. Loads never overlap, and a change
 * that arrives during a load triggers one more load afterwards, so the last state always wins.
 */
export function watchPolicyDir(
  dir: string,
  onReload: (result: PolicyLoadResult) => void,
  quietMs = defaultReloadQuietMs,
): { close(): void } {
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let loading = false;
  let again = false;
  let watcher: FSWatcher | undefined;

  const reload = async (): Promise<void> => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      do {
        again = false;
        const result = await loadPolicyDir(dir);
        if (!closed) onReload(result);
      } while (again && !closed);
    } finally {
      loading = false;
    }
  };

  // Events can arrive late or coalesced, so the files' own mtimes are checked too.
  const settle = async (): Promise<void> => {
    const age = Date.now() - (await lastModified(dir));
    if (closed || timer) return; // closed, or a newer event restarted the wait
    if (age >= 0 && age < quietMs) schedule(quietMs - age);
    else void reload();
  };

  const schedule = (delay = quietMs): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void settle();
    }, delay);
  };

  try {
    watcher = watch(dir, { persistent: false }, (_event, filename) => {
      // Editors' swap and backup files are not policies; null = the platform did not say which.
      if (filename === null || String(filename).endsWith('.toml')) schedule();
    });
    watcher.on('error', (error) => {
      if (closed) return;
      onReload({
        policies: [],
        files: [],
        errors: [{ file: dir, message: `watching stopped: ${error.message}` }],
      });
    });
  } catch (error) {
    // Reported once, like a bad edit: the set loaded at start stays in force.
    queueMicrotask(() => {
      if (!closed)
        onReload({
          policies: [],
          files: [],
          errors: [{ file: dir, message: `cannot watch: ${(error as Error).message}` }],
        });
    });
  }

  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** The newest mtime of the directory and its .toml files (0 if none can be read: load and report). */
async function lastModified(dir: string): Promise<number> {
  try {
    const names = (await readdir(dir)).filter((n) => n.endsWith('.toml'));
    const times = await Promise.all(
      [dir, ...names.map((n) => join(dir, n))].map((p) =>
        stat(p).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    return Math.max(0, ...times);
  } catch {
    return 0;
  }
}
