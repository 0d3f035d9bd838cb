import { execFileSync } from 'node:child_process';
import { appendFile, mkdtemp, open, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../source/domain/alert.js';
import type { JournalEntry } from '../../../source/domain/journal-record.js';
import { type AlertFollower, followAlerts } from '../../../source/intake/alert-file.js';
import { BoundedQueue } from '../../../source/intake/bounded-queue.js';
import { createMetrics } from '../../../source/metrics/metrics.js';

const line = (rule: string, extra: object = {}) => JSON.stringify({ rule, severity: 'low', ...extra }) + '\n';
const followers: AlertFollower[] = [];
afterEach(() => followers.splice(0).forEach((f) => f.close()));

function sink(capacity = 1000) {
  const queue = new BoundedQueue<Alert>(capacity);
  const journal: JournalEntry[] = [];
  return {
    queue,
    journal,
    options: { queue, record: (e: JournalEntry) => journal.push(e), metrics: createMetrics() },
  };
}

function drainRules(queue: BoundedQueue<Alert>): string[] {
  const rules: string[] = [];
  for (let a = queue.tryTake(); a; a = queue.tryTake()) rules.push(a.rule);
  return rules;
}

/** Polls a condition on the event loop (the follower polls the file); fails with the last state rather than hanging. */
async function until(what: string, check: () => boolean, tries = 2500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never happened: ${what}`);
}

describe('followAlerts on stdin', { timeout: 60_000 }, () => {
  it('reads every format line by line; bad lines are journaled with their line number', async () => {
    const s = sink();
    const input = Readable.from([
      line('one'),
      '\n{"rule":"two","sev',
      'erity":"HIGH"}\nnot json\n',
      '{"rule":"r","priority":"Error","output":"o","output_fields":{}}\n{"severity":"low"}',
    ]);
    const f = followAlerts('-', { ...s.options, input });
    await f.done;
    expect(drainRules(s.queue)).toEqual(['one', 'two', 'r']);
    expect(s.journal).toEqual([
      { type: 'rejected', source: 'stdin', reason: 'invalid JSON at line 4', raw: 'not json' },
      { type: 'rejected', source: 'stdin', reason: 'line 6: no rule', raw: '{"severity":"low"}' },
    ]);
  });

  it('a 100 MB line is rejected without buffering past the cap, and reading carries on', async () => {
    const s = sink();
    const cap = 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const total = 100 * 1024 * 1024;
    let sent = 0;
    const input = new Readable({
      read() {
        if (sent === 0) this.push('{"rule":"before","severity":"low"}\n{"rule":"');
        if (sent >= total) {
          this.push('"}\n' + line('after'));
          this.push(null);
          return;
        }
        sent += chunk.length;
        this.push(chunk);
      },
    });
    const f = followAlerts('-', { ...s.options, input, maxLineBytes: cap });
    await f.done;
    expect(drainRules(s.queue)).toEqual(['before', 'after']);
    expect(s.journal).toHaveLength(1);
    const rejected = s.journal[0]!;
    expect(rejected).toMatchObject({
      type: 'rejected',
      source: 'stdin',
      reason: expect.stringMatching(/^line 2: line too long: 1048\d+ bytes \(max 1048576\)$/),
    });
    expect(rejected.type === 'rejected' && rejected.raw.length).toBe(1024);
    // Bytes held for the unfinished line never went past the cap plus one chunk.
    expect(f.peakBufferedLength).toBeGreaterThan(0);
    expect(f.peakBufferedLength).toBeLessThanOrEqual(cap + chunk.length);
  });

  it('waits for queue space instead of shedding', async () => {
    const s = sink(2);
    const input = new PassThrough();
    const f = followAlerts('-', { ...s.options, input });
    input.write(['a', 'b', 'c', 'd', 'e'].map((r) => line(r)).join(''));
    await until('queue full', () => s.queue.size === 2);
    const taken: string[] = [];
    input.end();
    while (taken.length < 5) taken.push((await s.queue.take()).rule);
    await f.done;
    expect(taken).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.journal).toEqual([]);
  });

  it('close() ends a follower that is waiting for queue space', async () => {
    const s = sink(1);
    const input = new PassThrough();
    const f = followAlerts('-', { ...s.options, input });
    input.write(line('a') + line('b'));
    await until('queue full', () => s.queue.size === 1);
    f.close();
    await f.done;
    expect(s.queue.size).toBe(1);
  });
});

describe('followAlerts on a file (tail -F)', { timeout: 60_000 }, () => {
  let dir: string;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads what is there, then appends, truncation and rotation by rename', async () => {
    dir = await mkdtemp(join(tmpdir(), 'brig-alerts-'));
    const file = join(dir, 'alerts.ndjson');
    await writeFile(file, line('first'));
    const s = sink();
    const warnings: string[] = [];
    const f = followAlerts(file, { ...s.options, pollMs: 10, onWarning: (m) => warnings.push(m) });
    followers.push(f);
    const seen: string[] = [];
    const collect = () => (seen.push(...drainRules(s.queue)), seen);

    await until('first line', () => collect().includes('first'));
    await appendFile(file, line('appended') + '{"rule":"half');
    await until('append', () => collect().includes('appended'));
    await appendFile(file, '-line","severity":"info"}\n');
    await until('a line written in two parts', () => collect().includes('half-line'));

    await truncate(file, 0);
    await until('truncation noticed', () => warnings.some((w) => w.includes('truncated')));
    await appendFile(file, line('after-truncate'));
    await until('after truncation', () => collect().includes('after-truncate'));

    await appendFile(file, line('last-of-old'));
    await rename(file, join(dir, 'alerts.ndjson.1'));
    await writeFile(file, line('new-file'));
    await until('rotation', () => collect().includes('new-file'));

    f.close();
    await f.done;
    expect(seen).toEqual(['first', 'appended', 'half-line', 'after-truncate', 'last-of-old', 'new-file']);
    expect(s.journal).toEqual([]);
  });

  it("start: 'end' skips what the file already holds and takes only appends", async () => {
    dir = await mkdtemp(join(tmpdir(), 'brig-alerts-'));
    const file = join(dir, 'falco.log');
    await writeFile(file, line('old-1') + line('old-2'));
    const s = sink();
    const f = followAlerts(file, { ...s.options, pollMs: 10, start: 'end' });
    followers.push(f);
    // The follower opens the file asynchronously: keep appending until it has seen an append.
    const seen: string[] = [];
    for (let i = 0; seen.length === 0 && i < 2500; i++) {
      await appendFile(file, line(`new-${i}`));
      await new Promise((r) => setTimeout(r, 10));
      seen.push(...drainRules(s.queue));
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((rule) => rule.startsWith('new-'))).toBe(true);
  });

  it('waits for a file that does not exist yet', async () => {
    dir = await mkdtemp(join(tmpdir(), 'brig-alerts-'));
    const file = join(dir, 'later.ndjson');
    const s = sink();
    const warnings: string[] = [];
    const f = followAlerts(file, { ...s.options, pollMs: 10, onWarning: (m) => warnings.push(m) });
    followers.push(f);
    await until('warning', () => warnings.length > 0);
    expect(warnings[0]).toMatch(/no such file yet/);
    await writeFile(file, line('late'));
    await until('late file read', () => s.queue.size === 1);
    expect(s.queue.tryTake()?.rule).toBe('late');
  });

  it('follows a FIFO across writers', async () => {
    dir = await mkdtemp(join(tmpdir(), 'brig-alerts-'));
    const fifo = join(dir, 'alerts.fifo');
    execFileSync('mkfifo', [fifo]);
    const s = sink();
    const f = followAlerts(fifo, { ...s.options });
    followers.push(f);
    for (const rule of ['w1', 'w2']) {
      const writer = await open(fifo, 'w');
      await writer.write(line(rule));
      await writer.close();
    }
    const seen: string[] = [];
    await until('both writers read', () => (seen.push(...drainRules(s.queue)), seen.length === 2));
    expect(seen).toEqual(['w1', 'w2']);
    f.close();
    await f.done;
  });
});

describe('followAlerts fuzzing', { timeout: 120_000 }, () => {
  it('random lines in random chunks: every non-blank line is an alert or a journaled rejection', async () => {
    const jsonItem = fc.oneof(
      fc.record({
        rule: fc.string({ minLength: 1 }),
        severity: fc.constantFrom('low', 'HIGH', 'Sometimes', ''),
      }),
      fc.record({
        rule: fc.string(),
        priority: fc.constantFrom('Error', 'Loud'),
        output: fc.string(),
        output_fields: fc.constant({}),
      }),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const lineText = fc.oneof(
      jsonItem.map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 30 }).map((t) => t.replace(/[\r\n]/g, ' ')),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineText, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (lines, cuts) => {
          const bytes = Buffer.from(lines.join('\n'));
          const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...points].map((from, i) => bytes.subarray(from, [...points, bytes.length][i]));
          const s = sink(10_000);
          await followAlerts('-', { ...s.options, input: Readable.from(chunks.filter((c) => c.length > 0)) })
            .done;
          // Model: a JSON line is one item (arrays: one per element); anything else non-blank is one rejection.
          const expected = lines
            .filter((l) => l.trim() !== '')
            .reduce((n, l) => {
              try {
                const value: unknown = JSON.parse(l);
                return n + (Array.isArray(value) ? value.length : 1);
              } catch {
                return n + 1;
              }
            }, 0);
          expect(s.queue.size + s.journal.length).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
