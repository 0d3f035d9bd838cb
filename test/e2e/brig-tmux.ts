import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testDockerHost } from '../helpers/engine.js';
import { TmuxSession } from './tmux.js';

export const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const prompt = 'brig-e2e$ ';

/** A free loopback port for --listen. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A pause policy for one container only: an armed Brig in a test never touches anyone else's. */
export function pausePolicy(id: string, rule: string, container: string): string {
  return [
    `id = "${id}"`,
    'name = "e2e: pause"',
    'severity_threshold = "High"',
    `rules = ["${rule}"]`,
    '[target_filter]',
    `container_names = ["${container}"]`,
    '[action]',
    'Pause = []',
    '',
  ].join('\n');
}

/**
 * A private directory (config, state, journal, policies/) and a tmux session at 120×40 whose shell
 * has them, for running the real binary (dist/cli.js) against the test engine.
 */
export class BrigInTmux {
  readonly tmux: TmuxSession;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.tmux = new TmuxSession(120, 40, {
      PS1: prompt,
      XDG_CONFIG_HOME: dir,
      XDG_STATE_HOME: dir,
      TERM: 'xterm-256color',
    });
  }

  static async create(name: string, policies: Record<string, string> = {}): Promise<BrigInTmux> {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first (npm test does)`);
    const dir = await mkdtemp(path.join(tmpdir(), `brig-e2e-${name}-`));
    await mkdir(path.join(dir, 'policies'));
    for (const [file, text] of Object.entries(policies))
      await writeFile(path.join(dir, 'policies', file), text);
    return new BrigInTmux(dir, await freePort());
  }

  /** Starts Brig and waits for its panes; `filter` then narrows Containers (the engine is shared). */
  async start(filter?: string): Promise<string> {
    const tmux = this.tmux;
    await tmux.waitFor((s) => s.includes(prompt.trimEnd()), 'the shell prompt');
    // Ink renders nothing interactive when CI is set: the binary runs with CI unset.
    tmux.type(
      `env -u CI ${process.execPath} ${cli} --docker-host ${testDockerHost()} --listen 127.0.0.1:${this.port} ` +
        `--policies ${path.join(this.dir, 'policies')} --journal ${path.join(this.dir, 'journal.jsonl')}`,
    );
    tmux.keys('Enter');
    const screen = await tmux.waitFor(
      (s) => s.includes('DISARMED') && s.includes('1 Containers'),
      'the panes',
    );
    if (filter === undefined) return screen;
    tmux.keys('/');
    tmux.type(filter);
    tmux.keys('Enter');
    return tmux.waitFor((s) => / 1\/\d+ of /.test(s), 'the containers, filtered');
  }

  /** POSTs one native alert to Brig's intake. */
  alert(body: Record<string, unknown>): Promise<Response> {
    return fetch(`http://127.0.0.1:${this.port}/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  async quit(): Promise<void> {
    this.tmux.keys('q');
    await this.tmux.waitFor((s) => s.trimEnd().endsWith(prompt.trimEnd()), 'the shell prompt after q');
  }

  async close(): Promise<void> {
    this.tmux.kill();
    await rm(this.dir, { recursive: true, force: true });
  }
}
