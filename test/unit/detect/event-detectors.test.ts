import { describe, expect, it } from 'vitest';
import type { DockerEvent } from '../../../source/docker/docker-port.js';
import { defaultDetectorsConfig } from '../../../source/detect/config.js';
import { EventDetectors } from '../../../source/detect/event-detectors.js';
import { containerId } from './cgroup-fixture.js';

const ev = (
  action: string,
  sec: number,
  attributes: Record<string, string> = { name: 'web-1' },
): DockerEvent => ({
  type: 'container',
  action,
  id: containerId,
  attributes,
  timeNano: sec * 1e9,
});

describe('event detectors', () => {
  it('oom → container_oom for each OOM kill', () => {
    const d = new EventDetectors(defaultDetectorsConfig);
    const [f] = d.handle(ev('oom', 10, { name: 'hog', image: 'busybox' }), undefined);
    expect(f).toMatchObject({
      detector: 'container_oom',
      container: { id: containerId, name: 'hog' },
      timeMs: 10_000,
    });
    expect(f?.message).toContain('hog was OOM-killed');
    expect(d.handle(ev('oom', 11), undefined)).toHaveLength(1);
    expect(d.handle({ ...ev('oom', 12), type: 'network' }, undefined)).toHaveLength(0);
  });

  it('health_status: unhealthy → container_unhealthy once until it is healthy again', () => {
    const d = new EventDetectors(defaultDetectorsConfig);
    expect(d.handle(ev('health_status: unhealthy', 1), undefined)).toHaveLength(1);
    expect(d.handle(ev('health_status: unhealthy', 2), undefined)).toHaveLength(0);
    expect(d.handle(ev('health_status: healthy', 3), undefined)).toHaveLength(0);
    const again = d.handle(ev('health_status: unhealthy', 4), undefined);
    expect(again[0]?.detector).toBe('container_unhealthy');
  });

  it('restart_loop: 3 `docker restart`s (die, start, restart each) in a minute count 3, not 6', () => {
    const d = new EventDetectors(defaultDetectorsConfig);
    const seen = [];
    for (const t of [0, 10, 20]) {
      for (const action of ['kill', 'die', 'stop', 'start', 'restart'])
        seen.push(...d.handle(ev(action, t), undefined));
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ detector: 'restart_loop', fields: { restarts: 3, window_secs: 60 } });
  });

  it('restart_loop: die→start by a restart policy counts; restarts spread over more than the window do not', () => {
    const d = new EventDetectors(defaultDetectorsConfig);
    const at = (t: number) => [
      ...d.handle(ev('die', t, { name: 'x', exitCode: '137' }), undefined),
      ...d.handle(ev('start', t + 0.1), undefined),
    ];
    expect([...at(0), ...at(40)]).toHaveLength(0);
    expect(at(80)).toHaveLength(0); // the restart at 0 fell out of the 60 s window
    const found = at(90);
    expect(found[0]?.fields).toMatchObject({ restarts: 3, exit_code: 137 });
    // A start without a die (first start) is not a restart.
    const fresh = new EventDetectors(defaultDetectorsConfig);
    expect(fresh.handle(ev('start', 1), undefined)).toHaveLength(0);
  });

  it('disabled detectors stay quiet', () => {
    const config = {
      ...defaultDetectorsConfig,
      container_oom: { enabled: false, severity: 'Critical' as const },
    };
    expect(new EventDetectors(config).handle(ev('oom', 1), undefined)).toHaveLength(0);
  });
});
