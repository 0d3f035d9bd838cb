import os from 'node:os';
import path from 'node:path';

/** $XDG_STATE_HOME/brig/journal.jsonl, else ~/.local/state/brig/journal.jsonl (DESIGN §7). */
export function defaultJournalPath(env: NodeJS.ProcessEnv): string {
  // The XDG spec says a relative XDG_* path is invalid and must be ignored.
  const stateHome = env.XDG_STATE_HOME;
  const base =
    stateHome && path.isAbsolute(stateHome)
      ? stateHome
      : path.join(env.HOME || os.homedir(), '.local', 'state');
  return path.join(base, 'brig', 'journal.jsonl');
}
