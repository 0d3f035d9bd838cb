import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Alert } from '../../source/domain/alert.js';
import type { EngineSnapshot } from '../../source/domain/snapshot.js';
import { loadPolicyDir } from '../../source/config/policy-loader.js';
import { Engine, type EngineOptions } from '../../source/enforce/engine.js';
import { Journal } from '../../source/journal/journal.js';
import { readJournal } from '../../source/journal/read-journal.js';
import { createMetrics } from '../../source/metrics/metrics.js';
import { testPort } from './engine.js';

export interface Harness {
  engine: Engine;
  journal: Journal;
  dir: string;
  journalFile: string;
  records(): Promise<Record<string, unknown>[]>;
  /** Waits until `predicate` holds on a fresh snapshot (polling; bounded). */
  until(predicate: (s: EngineSnapshot) => boolean, what: string, timeoutMs?: number): Promise<EngineSnapshot>;
  close(): Promise<void>;
}

/**
 * A real Engine on the test Docker engine, with its own policy directory and journal in a temp dir.
 * `policies` maps file name → TOML text.
 */
export async function startHarness(
  policies: Record<string, string>,
  options: Partial<Omit<EngineOptions, 'journal' | 'metrics' | 'policies'>> & { dir?: string } = {},
): Promise<Harness> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'brig-engine-')));
  const policyDir = path.join(dir, 'policies');
  await import('node:fs/promises').then((fs) => fs.mkdir(policyDir, { recursive: true }));
  for (const [file, text] of Object.entries(policies)) await writeFile(path.join(policyDir, file), text);
  const loaded = await loadPolicyDir(policyDir);
  if (loaded.errors.length > 0) throw new Error(`test policies invalid: ${JSON.stringify(loaded.errors)}`);
  const journalFile = path.join(dir, 'journal.jsonl');
  const journal = await Journal.open(journalFile);
  const engine = new Engine({
    ports: [testPort()],
    journal,
    metrics: createMetrics(),
    policies: loaded,
    armed: false,
    dryRun: false,
    readOnly: false,
    protectNames: [],
    executor: {
      actionTimeoutMs: 15_000,
      retryMaxAttempts: 2,
      retryBackoffBaseMs: 100,
      maxConcurrentActions: 10,
    },
    queueCapacity: 1000,
    rebuilt: journal.state,
    ...options,
  });
  await engine.start();
  return {
    engine,
    journal,
    dir,
    journalFile,
    async records() {
      await journal.flush();
      return (await readJournal(journalFile)).records as unknown as Record<string, unknown>[];
    },
    async until(predicate, what, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = engine.getSnapshot();
        if (predicate(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await engine.stop();
      await journal.close();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A native alert naming a container. */
export function alertFor(
  container: string | undefined,
  rule: string,
  severity: Alert['severity'] = 'High',
): Alert {
  seq += 1;
  return {
    id: `test-${process.pid}-${Date.now()}-${seq}`,
    time: new Date().toISOString(),
    source: 'ndjson',
    rule,
    severity,
    ...(container ? { container: { name: container } } : {}),
    message: `test alert ${rule}`,
    fields: {},
  };
}
