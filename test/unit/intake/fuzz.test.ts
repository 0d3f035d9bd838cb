import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../source/domain/alert.js';
import { AlertSchema } from '../../../source/domain/alert.js';
import type { JournalEntry } from '../../../source/domain/journal-record.js';
import { BoundedQueue } from '../../../source/intake/bounded-queue.js';
import { type IntakeServer, startIntakeServer } from '../../../source/intake/http-server.js';
import { type IntakeFormat, type ParseOutcome, parsePayload } from '../../../source/intake/parse.js';
import { alertJournalTo } from '../../helpers/alert-journal.js';
import { createMetrics } from '../../../source/metrics/metrics.js';

/**
 * Property: whatever a sender posts, nothing throws or hangs, and every input item is accounted
 * for: accepted + rejected + ignored (+ shed, over HTTP) = items sent. Items are counted here by a
 * model independent of the parser: an array's elements, NDJSON lines, an Alertmanager group's entries.
 */
const samples = 'test/fixtures/samples';
const sampleValues: unknown[] = [
  ...[
    'falco-terminal-shell.json',
    'falcosidekick-write-below-etc.json',
    'falco-host-event.json',
    'alertmanager-v4.json',
  ].map((f) => JSON.parse(readFileSync(`${samples}/${f}`, 'utf8')) as unknown),
  ...readFileSync(`${samples}/native.ndjson`, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as unknown),
];

type Mutation = { op: 'delete' | 'set'; key: number; nested: boolean; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete' as const, 'set' as const),
  key: fc.nat(),
  nested: fc.boolean(),
  value: fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom(
      'host',
      'Sometimes',
      'CRITICAL',
      'firing',
      'resolved',
      '',
      '/docker/' + 'ab'.repeat(32),
      null,
    ),
  ),
});

function mutate(base: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  for (const m of mutations) {
    let target: Record<string, unknown> = copy;
    if (m.nested) {
      const children = Object.values(copy).filter(
        (v): v is Record<string, unknown> => typeof v === 'object' && v !== null,
      );
      const child = children[m.key % Math.max(children.length, 1)];
      if (child)
        target = Array.isArray(child)
          ? ((child[m.key % Math.max(child.length, 1)] as Record<string, unknown>) ?? copy)
          : child;
      if (typeof target !== 'object' || target === null) target = copy;
    }
    const keys = Object.keys(target);
    const key = keys.length > 0 && m.key % 3 !== 0 ? keys[m.key % keys.length]! : `k${m.key % 5}`;
    if (m.op === 'delete') delete target[key];
    else target[key] = m.value;
  }
  return copy;
}

const item: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...sampleValues), fc.array(mutation, { maxLength: 4 }))
      .map(([b, ms]) => mutate(b, ms)),
  },
  { weight: 2, arbitrary: fc.constantFrom(...sampleValues) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom(
        'rule',
        'severity',
        'priority',
        'output',
        'output_fields',
        'container',
        'alerts',
        'version',
        'id',
        'time',
        'uuid',
        'fields',
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
);

/** A payload and how many items it holds, counted without the parser. */
type Payload = { text: string; items: number };

const garbageLine = fc
  .string({ maxLength: 40 })
  .map((s) => s.replace(/[\n\r]/g, ' '))
  .filter((s) => s.trim() !== '' && !isJson(s));

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function itemsIn(value: unknown, format: IntakeFormat): number {
  const one = (v: unknown): number => {
    const record =
      typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    const isGroup =
      format === 'alertmanager' ||
      (format === 'auto' && record && Array.isArray(record.alerts) && 'version' in record);
    if (!isGroup) return 1;
    return record && Array.isArray(record.alerts) ? record.alerts.length : 1;
  };
  return Array.isArray(value) ? value.reduce((n: number, v) => n + one(v), 0) : one(value);
}

function payload(format: IntakeFormat): fc.Arbitrary<Payload> {
  return fc.oneof(
    item.map((v) => ({ text: JSON.stringify(v), items: itemsIn(v, format) })),
    fc.array(item, { maxLength: 8 }).map((vs) => ({
      text: JSON.stringify(vs, null, vs.length % 2 ? 2 : undefined),
      items: itemsIn(vs, format),
    })),
    // NDJSON: the first line is always JSON (so it reads as NDJSON); later lines may be garbage.
    fc
      .tuple(
        item,
        fc.array(
          fc.oneof(
            item.map((v) => JSON.stringify(v)),
            garbageLine,
          ),
          { minLength: 1, maxLength: 8 },
        ),
      )
      .map(([first, rest]) => {
        const lines = [JSON.stringify(first), ...rest];
        const items = lines.reduce((n, l) => n + (isJson(l) ? itemsIn(JSON.parse(l), format) : 1), 0);
        return { text: lines.join('\n') + '\n', items };
      }),
    // Nothing readable at all (HTTP 400): one rejected item per line.
    fc
      .array(
        garbageLine.filter((l) => !/^\s*[[{]/.test(l)),
        { minLength: 1, maxLength: 4 },
      )
      .map((lines) => ({ text: lines.join('\n'), items: lines.length })),
  );
}

function accountFor(out: ParseOutcome): number {
  return out.alerts.length + out.rejected.length + out.ignored;
}

const formats: IntakeFormat[] = ['auto', 'native', 'falco', 'alertmanager'];

describe('fuzzing the parsers', { timeout: 300_000 }, () => {
  for (const format of formats) {
    it(`${format}: 10,000 random and mutated payloads, every item accounted for, every alert valid`, () => {
      const seen = { accepted: 0, rejected: 0 };
      fc.assert(
        fc.property(payload(format), (p) => {
          const out = parsePayload(p.text, format);
          seen.accepted += out.alerts.length;
          seen.rejected += out.rejected.length;
          expect(accountFor(out)).toBe(p.items);
          for (const alert of out.alerts) AlertSchema.parse(alert);
          for (const r of out.rejected) {
            expect(r.reason.length).toBeGreaterThan(0);
            expect(r.raw.length).toBeLessThanOrEqual(1024);
          }
          // Rejected indices are distinct and inside the payload.
          expect(new Set(out.rejected.map((r) => r.index)).size).toBe(out.rejected.length);
          for (const r of out.rejected) expect(r.index).toBeLessThan(p.items);
        }),
        { numRuns: 10_000 },
      );
      // The generators reach both outcomes: the property is not vacuous.
      expect(seen.accepted).toBeGreaterThan(1000);
      expect(seen.rejected).toBeGreaterThan(1000);
    });
  }

  it('arbitrary text never throws', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.constantFrom(...formats),
        (text, format) => {
          const out = parsePayload(text, format);
          expect(out.unparseable || accountFor(out) > 0 || text.trim() === '').toBe(true);
        },
      ),
      { numRuns: 10_000 },
    );
  });
});

describe('fuzzing the HTTP server', { timeout: 300_000 }, () => {
  let server: IntakeServer;
  const queue = new BoundedQueue<Alert>(20);
  const journal: JournalEntry[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  beforeAll(async () => {
    server = await startIntakeServer({
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024 * 1024,
      queue,
      record: (e) => journal.push(e),
      alertJournal: alertJournalTo([]),
      metrics: createMetrics(),
      commands: async () => ({ ok: true, message: 'ok' }),
      health: () => [],
    });
  });
  afterAll(async () => {
    agent.destroy();
    await server.close();
  });

  const post = (path: string, body: string) =>
    new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: server.address.port, method: 'POST', path, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              json: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const endpoint = fc.constantFrom(
    ['/v1/alerts', 'native'] as const,
    ['/v1/falco', 'falco'] as const,
    ['/v1/alertmanager', 'alertmanager'] as const,
  );

  it('10,000 random and mutated POSTs: answers 202/400/503 and accepted + rejected + ignored + shed = sent', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        endpoint.chain(([path, format]) => fc.tuple(fc.constant(path), payload(format))),
        fc.nat(9),
        async ([path, p], drain) => {
          // The engine stand-in catches up now and then: the queue fills, sheds, and frees again.
          if (drain === 0) while (queue.tryTake());
          const answer = await post(path, p.text);
          expect([202, 400, 503]).toContain(answer.status);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const rejected = Number(answer.json.rejected_total ?? (answer.json.rejected as unknown[]).length);
          const counted =
            Number(answer.json.accepted) +
            rejected +
            Number(answer.json.ignored ?? 0) +
            Number(answer.json.shed ?? 0);
          expect(counted).toBe(p.items);
        },
      ),
      { numRuns: 10_000 },
    );
    expect([...statuses.keys()].sort()).toEqual([202, 400, 503]);
    // The server is still answering and journaled every rejection and shed alert.
    expect((await post('/v1/alerts', '{"rule":"still","severity":"info"}')).status).not.toBe(500);
    // …and what else the payloads said: resolved entries, truncated groups, unknown severity words.
    expect(journal.every((e) => ['rejected', 'resolved', 'engine'].includes(e.type))).toBe(true);
  });

  it('random bytes as bodies never get a 500', async () => {
    await fc.assert(
      fc.asyncProperty(endpoint, fc.string({ unit: 'binary', maxLength: 200 }), async ([path], text) => {
        const answer = await post(path, text);
        expect([202, 400, 503]).toContain(answer.status);
      }),
      { numRuns: 2_000 },
    );
  });
});
