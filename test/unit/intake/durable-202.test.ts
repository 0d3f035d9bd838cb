import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertJournalOf } from '../../../source/intake/hand-over.js';
import { Journal } from '../../../source/journal/journal.js';
import { call, setup } from '../../helpers/intake-server.js';

const alert = (id: string) => JSON.stringify({ id, rule: 'r', severity: 'high' });

async function journalIn(): Promise<Journal> {
  const dir = await mkdtemp(path.join(tmpdir(), 'brig-durable-'));
  return Journal.open(path.join(dir, 'journal.jsonl'));
}

const linesOf = async (journal: Journal) =>
  (await readFile(journal.file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { type: string; alert?: { id: string } });

describe('202 is durable (issue 11 #9)', () => {
  it('an alert answered 202 is already written to the journal file, before anyone flushes it', async () => {
    const journal = await journalIn();
    const s = await setup({ alertJournal: alertJournalOf(journal) });
    // Concurrent POSTs: their alerts share fsyncs (group commit), each answer waits for its own.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(s.port, 'POST', '/v1/alerts', [alert(`a${i}`), alert(`b${i}`)].join('\n')),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 20 }, () => 202));
    const onDisk = (await linesOf(journal)).filter((r) => r.type === 'alert').map((r) => r.alert!.id);
    expect(onDisk.sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => [`a${i}`, `b${i}`])
        .flat()
        .sort(),
    );
    await journal.close();
  });

  it('a journal that cannot be written is answered 503, never 202', async () => {
    const journal = await journalIn();
    await journal.close(); // appends now throw
    const closed = await setup({ alertJournal: alertJournalOf(journal) });
    const answer = await call(closed.port, 'POST', '/v1/alerts', alert('c1'));
    expect(answer.status).toBe(503);
    expect(answer.json()).toMatchObject({
      durable: false,
      error: expect.stringMatching(/^journal not writable/),
    });

    // The fsync fails (disk full, I/O error): 503 as well.
    const failing = await setup({
      alertJournal: { append: () => undefined, commit: () => Promise.reject(new Error('ENOSPC')) },
    });
    const full = await call(failing.port, 'POST', '/v1/alerts', alert('c2'));
    expect([full.status, full.json()]).toMatchObject([503, { error: expect.stringContaining('ENOSPC') }]);
    expect(
      await failing.options.metrics.registry.getSingleMetricAsString('brig_http_rejected_total'),
    ).toContain('brig_http_rejected_total{reason="journal_unavailable"} 1');
  });
});
