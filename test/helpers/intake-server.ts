import { request } from 'node:http';
import { afterEach, expect } from 'vitest';
import type { Alert } from '../../source/domain/alert.js';
import type { JournalEntry } from '../../source/domain/journal-record.js';
import type { CommandResult, EngineCommand } from '../../source/domain/snapshot.js';
import { BoundedQueue } from '../../source/intake/bounded-queue.js';
import { type IntakeServerOptions, startIntakeServer } from '../../source/intake/http-server.js';
import { createMetrics } from '../../source/metrics/metrics.js';
import { alertJournalTo } from './alert-journal.js';

/** The HTTP intake on a loopback port with an in-memory journal, closed after each test. */
export interface Setup {
  port: number;
  queue: BoundedQueue<Alert>;
  journal: JournalEntry[];
  /** Alert records the server journaled before answering (its AlertJournal). */
  journaled: JournalEntry[];
  commands: EngineCommand[];
  options: IntakeServerOptions;
  server: { close(): Promise<void> };
}
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

export async function setup(overrides: Partial<IntakeServerOptions> = {}): Promise<Setup> {
  const journal: JournalEntry[] = [];
  const journaled: JournalEntry[] = [];
  const commands: EngineCommand[] = [];
  const options: IntakeServerOptions = {
    host: '127.0.0.1',
    port: 0,
    maxBodyBytes: 1024 * 1024,
    queue: new BoundedQueue<Alert>(100),
    record: (e) => journal.push(e),
    alertJournal: alertJournalTo(journaled),
    metrics: createMetrics(),
    commands: async (c): Promise<CommandResult> => {
      commands.push(c);
      if (c.type === 'restore' && c.container === 'nope')
        return { ok: false, code: 'not-found', message: 'container nope not found' };
      if (c.type === 'restore' && c.container === 'web-1-clean')
        return { ok: false, code: 'nothing-to-restore', message: 'web-1-clean has nothing to restore' };
      return { ok: true, message: `${c.type} done` };
    },
    health: () => [{ host: 'unix:///var/run/docker.sock', up: true, error: 'none' }],
    ...overrides,
  };
  const server = await startIntakeServer(options);
  servers.push(server);
  return { port: server.address.port, queue: options.queue, journal, journaled, commands, options, server };
}

/** The summary record of HTTP refusals (source/intake/http-rejection-log.ts). */
export function summary(counts: Record<string, number>): JournalEntry {
  return {
    type: 'rejected',
    source: 'http',
    reason: 'summary',
    raw: '',
    since: expect.stringMatching(/^\d{4}-/) as unknown as string,
    counts,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => unknown;
}

export function call(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text, json: () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
