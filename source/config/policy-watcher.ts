import type { FSWatcher } from 'node:fs';
import { watch } from 'node:fs';
import type { PolicyLoadResult } from './policy-loader.js';
import { loadPolicyDir } from './policy-loader.js';

/**
 * Hot reload (DESIGN §3): watch the policy directory and hand every reload's full result to
 * `onReload`, debounced so an editor's save (write, rename, chmod) is one reload. The receiver
 * decides: a result with errors must leave the last good set in force (and show/journal the
 * errors); a clean result replaces the set in one assignment. Loads never overlap, and a change
 * that arrives during a load triggers one more load afterwards, so the last state always wins.
 */
export function watchPolicyDir(
  dir: string,
  onReload: (result: PolicyLoadResult) => void,
  debounceMs = 200,
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

  const schedule = (): void => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void reload();
    }, debounceMs);
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
