import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A detached tmux session on a private tmux server (its own -L socket), so the test never touches
 * the user's tmux. Screens are read with capture-pane.
 */
export class TmuxSession {
  readonly socket = `brig-e2e-${randomBytes(4).toString('hex')}`;
  readonly name = 'brig';

  constructor(
    readonly columns: number,
    readonly rows: number,
    env: Record<string, string>,
  ) {
    const assignments = Object.entries(env)
      .map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`)
      .join(' ');
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(columns),
      '-y',
      String(rows),
      `env ${assignments} bash --norc --noprofile`,
    );
    // The session's size is fixed: a later client must not resize it.
    this.tmux('set-option', '-t', this.name, 'window-size', 'manual');
  }

  tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Literal text (no key-name lookup). */
  type(text: string): void {
    this.tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** tmux key names: Enter, Escape, C-c, … */
  keys(...names: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...names);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  resize(columns: number, rows: number): void {
    this.tmux('resize-window', '-t', this.name, '-x', String(columns), '-y', String(rows));
  }

  async waitFor(predicate: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
    const start = Date.now();
    let screen = '';
    while (Date.now() - start < timeoutMs) {
      screen = this.screen();
      if (predicate(screen)) return screen;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`tmux: timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
  }

  /** Keeps a screen for the record when BRIG_E2E_CAPTURES names a directory (notes, reviews). */
  keep(name: string, screen: string): void {
    const dir = process.env.BRIG_E2E_CAPTURES;
    if (dir) writeFileSync(path.join(dir, `${name}.txt`), screen);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // Already gone.
    }
  }
}
