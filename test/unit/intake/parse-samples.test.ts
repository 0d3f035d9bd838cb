import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePayload } from '../../../source/intake/parse.js';
import { AlertSchema } from '../../../source/domain/alert.js';

const samples = 'test/fixtures/samples';
const read = (name: string) => readFileSync(`${samples}/${name}`, 'utf8');
const options = { now: () => new Date('2026-11-22T12:00:00.000Z'), newId: () => 'generated-id' };

describe('the shared samples (test/fixtures/samples) parse to the expected normalized alerts', () => {
  it('Falco json_output (no uuid), Notice, short id', () => {
    const out = parsePayload(read('falco-terminal-shell.json'), 'falco', options);
    expect(out.rejected).toEqual([]);
    expect(out.alerts).toHaveLength(1);
    const [alert] = out.alerts;
    expect(alert).toMatchObject({
      id: 'generated-id',
      time: '2026-11-20T09:12:44.118Z',
      source: 'falco',
      rule: 'Terminal shell in container',
      severity: 'Low',
      container: { id: '3f9a1c2b7d4e', name: 'payments-api' },
      message: expect.stringMatching(
        /^A shell was spawned in a container with an attached terminal \| evt_type=execve/,
      ),
    });
    expect(alert!.fields).toMatchObject({
      hostname: 'ci-runner-3',
      priority: 'Notice',
      event_source: 'syscall',
      tags: ['T1059', 'container', 'maturity_stable', 'mitre_execution', 'shell'],
      output_fields: { 'proc.cmdline': 'bash -il', 'container.image.tag': '2.14.1' },
    });
    expect(AlertSchema.parse(alert)).toEqual(alert);
  });

  it('Falcosidekick (uuid), Error → High, id from uuid', () => {
    const out = parsePayload(read('falcosidekick-write-below-etc.json'), 'falco', options);
    expect(out.rejected).toEqual([]);
    expect(out.alerts).toEqual([
      expect.objectContaining({
        id: '8c1b0d6e-5a2f-4c39-9f1e-2d7a4b6c0e11',
        time: '2026-11-20T09:15:02.004Z',
        source: 'falcosidekick',
        rule: 'Write below etc',
        severity: 'High',
        container: { id: 'a41be09c33f2', name: 'legacy-cron' },
      }),
    ]);
    expect(out.alerts[0]!.fields.output_fields).toMatchObject({ environment: 'staging' });
  });

  it('Falco host event: container.id "host" names no container', () => {
    const out = parsePayload(read('falco-host-event.json'), 'falco', options);
    expect(out.alerts).toHaveLength(1);
    expect(out.alerts[0]).toMatchObject({
      rule: 'Read sensitive file untrusted',
      severity: 'Medium',
      source: 'falco',
    });
    expect(out.alerts[0]!.container).toBeUndefined();
  });

  it('Alertmanager v4: the firing entry becomes an alert, the resolved one is ignored', () => {
    const out = parsePayload(read('alertmanager-v4.json'), 'alertmanager', options);
    expect(out.rejected).toEqual([]);
    expect(out.ignored).toBe(1);
    expect(out.notes).toEqual([]);
    expect(out.alerts).toEqual([
      {
        id: 'b7d1e0c3a9f24e51@2026-11-20T09:30:00.000Z',
        time: '2026-11-20T09:30:00.000Z',
        source: 'alertmanager',
        rule: 'ContainerCpuSaturated',
        severity: 'Medium',
        container: {
          id: '5e0c7a9d1b2f44e8a6c3d0f7b9e1a2c4d5f60718293a4b5c6d7e8f9a0b1c2d3e',
          name: 'batch-worker-2',
        },
        message: 'batch-worker-2 above 95% CPU for 10m',
        fields: expect.objectContaining({
          labels: expect.objectContaining({ job: 'cadvisor', image: 'example/batch:1.4' }),
          annotations: { summary: 'batch-worker-2 above 95% CPU for 10m' },
          fingerprint: 'b7d1e0c3a9f24e51',
        }),
      },
    ]);
  });

  it('native NDJSON: mixed-case severities, name references, a host-level last line', () => {
    const out = parsePayload(read('native.ndjson'), 'native', options);
    expect(out.rejected).toEqual([]);
    expect(out.alerts).toEqual([
      {
        id: 'generated-id',
        time: '2026-11-22T12:00:00.000Z',
        source: 'ndjson',
        rule: 'fork_storm',
        severity: 'High',
        container: { name: 'demo-victim' },
        message: 'pids grew by 400 in 200ms',
        fields: {},
      },
      {
        id: 'generated-id',
        time: '2026-11-22T12:00:00.000Z',
        source: 'ndjson',
        rule: 'crypto_miner_dns',
        severity: 'Critical',
        container: { name: 'web-3' },
        message: 'DNS lookups to a mining pool',
        fields: {},
      },
      {
        id: 'generated-id',
        time: '2026-11-22T12:00:00.000Z',
        source: 'ndjson',
        rule: 'port_scan',
        severity: 'Medium',
        message: 'host-level: outbound scan from 10 containers',
        fields: {},
      },
    ]);
  });

  it("'auto' detects each sample's format and gives the same alerts", () => {
    for (const [file, format] of [
      ['falco-terminal-shell.json', 'falco'],
      ['falcosidekick-write-below-etc.json', 'falco'],
      ['falco-host-event.json', 'falco'],
      ['alertmanager-v4.json', 'alertmanager'],
      ['native.ndjson', 'native'],
    ] as const) {
      expect(parsePayload(read(file), 'auto', options), file).toEqual(
        parsePayload(read(file), format, options),
      );
    }
  });

  it("'auto' reads a mixed NDJSON stream of every format, in order", () => {
    const text = ['falco-terminal-shell.json', 'alertmanager-v4.json', 'falcosidekick-write-below-etc.json']
      .map((f) => read(f).trim())
      .concat(read('native.ndjson').trim())
      .join('\n');
    const out = parsePayload(text, 'auto', options);
    expect(out.alerts.map((a) => a.source)).toEqual([
      'falco',
      'alertmanager',
      'falcosidekick',
      'ndjson',
      'ndjson',
      'ndjson',
    ]);
    expect(out.ignored).toBe(1);
  });
});
