import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface BrigProcess {
  child: ChildProcess;
  dir: string;
  journalFile: string;
  policiesDir: string;
  port: number;
  /** Every NDJSON record printed on stdout so far. */
  records: Record<string, unknown>[];
  stderr(): string;
  waitFor(
    predicate: (r: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  post(
    pathname: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: string }>;
  exited: Promise<number | null>;
}

/** Runs the built CLI headless with its own temp policies dir, journal and a loopback port. */
export async function spawnBrig(
  policies: Record<string, string>,
  extraArgs: string[],
  options: { dir?: string; dockerHost: string; port?: number },
): Promise<BrigProcess> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'brig-proc-')));
  const policiesDir = path.join(dir, 'policies');
  await mkdir(policiesDir, { recursive: true });
  for (const [file, text] of Object.entries(policies)) await writeFile(path.join(policiesDir, file), text);
  const journalFile = path.join(dir, 'journal.jsonl');
  const port = options.port ?? 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(
    process.execPath,
    [
      cliPath,
      '--headless',
      '--docker-host',
      options.dockerHost,
      '--listen',
      `127.0.0.1:${port}`,
      '--policies',
      policiesDir,
      '--journal',
      journalFile,
      ...extraArgs,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_STATE_HOME: dir } },
  );
  const records: Record<string, unknown>[] = [];
  let err = '';
  let buf = '';
  const waiters: {
    predicate: (r: Record<string, unknown>) => boolean;
    resolve: (r: Record<string, unknown>) => void;
  }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const record = JSON.parse(line) as Record<string, unknown>;
      records.push(record);
      for (const w of [...waiters]) {
        if (w.predicate(record)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(record);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const proc: BrigProcess = {
    child,
    dir,
    journalFile,
    policiesDir,
    port,
    records,
    stderr: () => err,
    waitFor(predicate, what, timeoutMs = 20_000) {
      const found = records.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out waiting for ${what}; stderr: ${err}`)),
          timeoutMs,
        );
        waiters.push({
          predicate,
          resolve: (r) => {
            clearTimeout(timer);
            resolve(r);
          },
        });
      });
    },
    async post(pathname, body, headers = {}) {
      const res = await fetch(`http://127.0.0.1:${port}${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, body: await res.text() };
    },
    exited,
  };
  await proc.waitFor((r) => r.type === 'engine' && r.event === 'listening', 'brig listening');
  return proc;
}
