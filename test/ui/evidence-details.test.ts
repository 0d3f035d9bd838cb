import { describe, expect, it } from 'vitest';
import { containerDetails } from '../../source/ui/details.js';
import { container } from '../helpers/fake-engine.js';

describe('container details: the newest evidence bundle', () => {
  it('shows where the bundle is and whether it is complete, or why it is partial', () => {
    const at = '2026-12-02T02:00:00.000Z';
    const whole = containerDetails(
      container('web-1', { evidence: { dir: '/state/evidence/b1', complete: true, reasons: [], at } }),
      100,
    ).map((l) => l.text);
    expect(whole).toContain('evidence: complete — /state/evidence/b1');
    const partial = containerDetails(
      container('web-1', {
        evidence: {
          dir: '/state/evidence/b2',
          complete: false,
          reasons: ['archive over 64 MiB: 3 files left out'],
          at,
        },
      }),
      100,
    ).map((l) => l.text);
    expect(partial).toContain(
      'evidence: partial (archive over 64 MiB: 3 files left out) — /state/evidence/b2',
    );
    expect(containerDetails(container('web-1'), 100).some((l) => l.text.startsWith('evidence:'))).toBe(false);
  });
});
