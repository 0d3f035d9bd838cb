import { describe, expect, it } from 'vitest';
import type { AlertView } from '../../source/domain/snapshot.js';
import { containerTimeline } from '../../source/ui/timeline.js';
import { actionRecord, alert, alertView, container } from '../helpers/fake-engine.js';

const web = container('web-1', {
  events: [
    { time: '2026-11-22T14:00:00.000Z', action: 'create', detail: 'image busybox' },
    { time: '2026-11-22T14:00:01.000Z', action: 'start' },
    { time: '2026-11-22T14:02:10.000Z', action: 'pause' },
    { time: '2026-11-22T14:05:00.000Z', action: 'unpause' },
    { time: '2026-11-22T14:06:00.000Z', action: 'die', detail: 'exit code 137' },
  ],
  evidence: {
    dir: '/var/lib/brig/evidence/web-1-1',
    complete: true,
    reasons: [],
    at: '2026-11-22T14:02:12.000Z',
  },
});
const other = container('db-1');

function decided(id: string, time: string, outcome: NonNullable<AlertView['outcomes']>[number]): AlertView {
  return { ...alertView(alert(id, { time, container: { name: 'web-1' } }), web), outcomes: [outcome] };
}

describe('container timeline: events, alerts, decisions and actions in one list', () => {
  it('merges every kind, newest first, an alert before its decision at the same instant', () => {
    const alerts: AlertView[] = [
      decided('a1', '2026-11-22T14:02:09.000Z', {
        state: 'executed',
        by: 'operator',
        at: '2026-11-22T14:02:10.000Z',
        actionId: 'act-web-1',
      }),
      decided('a2', '2026-11-22T14:03:00.000Z', {
        state: 'skipped',
        by: 'operator',
        at: '2026-11-22T14:03:30.000Z',
      }),
      decided('a3', '2026-11-22T14:04:00.000Z', {
        state: 'vetoed',
        by: 'operator',
        at: '2026-11-22T14:04:05.000Z',
      }),
      decided('a4', '2026-11-22T14:04:10.000Z', {
        state: 'queued',
        by: 'policy',
        at: '2026-11-22T14:04:10.000Z',
      }),
      decided('a5', '2026-11-22T14:04:20.000Z', {
        state: 'failed',
        by: 'grace',
        at: '2026-11-22T14:04:50.000Z',
        error: 'engine timeout',
      }),
      // About another container: not in web-1's timeline.
      alertView(alert('b1', { time: '2026-11-22T14:04:30.000Z', container: { name: 'db-1' } }), other),
    ];
    const actions = [
      actionRecord(web, { ts: '2026-11-22T14:02:10.500Z', origin: 'approved', latency_ms: 84 }),
      actionRecord(other, { id: 'act-db', ts: '2026-11-22T14:04:31.000Z' }),
    ];
    const entries = containerTimeline(web, { alerts, actions });
    expect(entries.map((e) => `${e.time.slice(11, 19)} ${e.kind}`)).toEqual([
      '14:06:00 docker',
      '14:05:00 docker',
      '14:04:50 failed',
      '14:04:20 decision',
      '14:04:20 alert',
      '14:04:10 queued',
      '14:04:10 decision',
      '14:04:10 alert',
      '14:04:05 vetoed',
      '14:04:00 decision',
      '14:04:00 alert',
      '14:03:30 skipped',
      '14:03:00 decision',
      '14:03:00 alert',
      '14:02:12 evidence',
      '14:02:10 action',
      '14:02:10 executed',
      '14:02:10 docker',
      '14:02:09 decision',
      '14:02:09 alert',
      '14:00:01 docker',
      '14:00:00 docker',
    ]);
    const text = (kind: string) => entries.find((e) => e.kind === kind)?.text;
    expect(entries[0]!.text).toBe('die (exit code 137)');
    expect(text('alert')).toBe('HIGH fork_storm from falco — too many processes');
    expect(text('decision')).toBe('disarmed: pause · policy fork-storm-pause — auto-isolate is off');
    expect(text('executed')).toBe('pause · policy fork-storm-pause by the operator');
    expect(text('failed')).toBe(
      'pause · policy fork-storm-pause when the grace period ran out — engine timeout',
    );
    expect(text('action')).toBe('pause ok in 84ms (policy fork-storm-pause)');
    expect(text('evidence')).toBe('complete: /var/lib/brig/evidence/web-1-1');
    expect(entries.some((e) => e.text.includes('db'))).toBe(false);
  });

  it('finds alerts by a decision that targets the container, else by id prefix or name', () => {
    const named = (
      id: string,
      ref: { id?: string; name?: string } | undefined,
      target = web as typeof web | null,
    ) => alertView(alert(id, { rule: `rule_${id}`, container: ref }), target);
    const alerts = [
      named('by_decision', undefined),
      named('by_id', { id: web.id.slice(0, 12) }, null),
      named('by_name', { name: 'web-1' }, null),
      named('other_name', { name: 'web-10' }, null),
      // Named web-1, but decided about another container of that name (the one before a re-create).
      named('earlier', { name: 'web-1' }, container('web-1-old')),
    ];
    const rules = containerTimeline(web, { alerts, actions: [] })
      .filter((e) => e.kind === 'alert')
      .map((e) => e.text.split(' ')[1]);
    expect(rules.sort()).toEqual(['rule_by_decision', 'rule_by_id', 'rule_by_name']);
  });

  it('is bounded: only the newest `limit` entries', () => {
    const many = container('busy', {
      events: Array.from({ length: 80 }, (_, i) => ({
        time: new Date(Date.UTC(2026, 10, 22, 14, 0, i)).toISOString(),
        action: i % 2 ? 'unpause' : 'pause',
      })),
    });
    const entries = containerTimeline(many, { alerts: [], actions: [] }, 10);
    expect(entries).toHaveLength(10);
    expect(entries[0]!.time).toBe('2026-11-22T14:01:19.000Z');
    expect(entries[9]!.time).toBe('2026-11-22T14:01:10.000Z');
    expect(containerTimeline(many, { alerts: [], actions: [] })).toHaveLength(50);
  });

  it('a container with no history has an empty timeline', () => {
    expect(containerTimeline(container('quiet'), { alerts: [], actions: [] })).toEqual([]);
  });
});
