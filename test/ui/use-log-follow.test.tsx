import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LogLine } from '../../source/domain/log-line.js';
import { useLogFollow, type LogFollow } from '../../source/ui/use-log-follow.js';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';

const line = (i: number, text = `line ${i}`): LogLine => ({ stream: 'stdout', text });

let renders: LogFollow[] = [];
function Probe({ handle, container }: { handle: FakeEngine; container: string }) {
  const follow = useLogFollow(handle, container, { tail: 10 }, { intervalMs: 100, maxLines: 50 });
  renders.push(follow);
  return <Text>{follow.lines.length}</Text>;
}

/** Lets React commit what the timers set off (its scheduler runs on setImmediate, not faked). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

beforeEach(() => {
  renders = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useLogFollow: lines from the EngineHandle, drawn in batches', () => {
  it('a burst of lines is one render, not one per line; the first after a quiet spell is drawn at once', async () => {
    const fake = new FakeEngine();
    render(<Probe handle={fake} container="c1" />);
    await settle();
    expect(fake.follows).toHaveLength(1);
    expect(fake.follows[0]!.options).toEqual({ tail: 10 });
    const start = renders.length;
    fake.pushLog('c1', line(0));
    await settle();
    expect(renders.length).toBe(start + 1);
    expect(renders.at(-1)!.lines).toHaveLength(1);
    // 499 more at once: nothing until the interval has passed, then one render with all of them.
    fake.pushLog('c1', ...Array.from({ length: 499 }, (_, i) => line(i + 1)));
    await settle();
    expect(renders.length).toBe(start + 1);
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(renders.length).toBe(start + 2);
    // The ring's bound (50 here) and what it dropped.
    expect(renders.at(-1)!.lines.map((l) => l.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `line ${450 + i}`),
    );
    expect(renders.at(-1)!.dropped).toBe(450);
  });

  it('a steady stream (a line every 5 ms for 1 s) is at most 10 renders a second', async () => {
    const fake = new FakeEngine();
    render(<Probe handle={fake} container="c1" />);
    await settle();
    const start = renders.length;
    for (let i = 0; i < 200; i++) {
      fake.pushLog('c1', line(i));
      await vi.advanceTimersByTimeAsync(5);
    }
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    const count = renders.length - start;
    expect(count).toBeGreaterThanOrEqual(9);
    expect(count).toBeLessThanOrEqual(11);
    expect(renders.at(-1)!.received).toBe(200);
  });

  it('control characters and colour codes are cleaned before they reach the screen or the search', async () => {
    const fake = new FakeEngine();
    render(<Probe handle={fake} container="c1" />);
    await settle();
    fake.pushLog('c1', line(0, '\x1b[31mred\x1b[0m\tand\x07bell'));
    await settle();
    expect(renders.at(-1)!.lines[0]!.text).toBe('red    and^Gbell');
  });

  it('the end of the stream is kept with its reason; unmounting stops the follow', async () => {
    const fake = new FakeEngine();
    const view = render(<Probe handle={fake} container="c1" />);
    await settle();
    fake.endLogs('c1', 'c1: the log stream ended (container stopped)');
    await settle();
    expect(renders.at(-1)!.ended).toEqual({
      message: 'c1: the log stream ended (container stopped)',
      error: false,
    });
    view.unmount();
    expect(fake.follows[0]!.stopped).toBe(true);
  });

  it('when the container runs again after its stream ended, follows again from the last line kept', async () => {
    const web = container('web-1', { startedAt: '2026-12-02T05:00:00Z' });
    const fake = new FakeEngine(emptySnapshot({ containers: [web] }));
    render(<Probe handle={fake} container={web.id} />);
    await settle();
    const at = (s: number) => ({
      stream: 'stdout' as const,
      text: `t${s}`,
      ms: Date.UTC(2026, 11, 2, 5, 0, s),
      time: new Date(Date.UTC(2026, 11, 2, 5, 0, s)).toISOString(),
    });
    fake.pushLog(web.id, at(1), at(2));
    fake.endLogs(web.id, 'web-1: the log stream ended (container stopped)');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(renders.at(-1)!.ended?.error).toBe(false);
    // Still the same run: no new follow.
    fake.update({ containers: [web] });
    expect(fake.follows).toHaveLength(1);
    // It stopped, then runs again: one new follow, from the last line's time.
    fake.update({ containers: [{ ...web, state: 'exited' }] });
    fake.update({ containers: [{ ...web, state: 'running', startedAt: '2026-12-02T05:00:09Z' }] });
    expect(fake.follows).toHaveLength(2);
    expect(fake.follows[1]!.options).toEqual({ tail: 50, since: at(2).time });
    // The engine's since is whole seconds: a line already kept comes again and is skipped.
    fake.pushLog(web.id, at(2), at(10));
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(renders.at(-1)!.lines.map((l) => l.text)).toEqual(['t1', 't2', 't10']);
    expect(renders.at(-1)!.ended).toBeUndefined();
    expect(renders.at(-1)!.resumed).toBe(1);
    // A restart seen only by its new start time (never seen stopped) counts too.
    fake.endLogs(web.id, 'ended again');
    fake.update({ containers: [{ ...web, state: 'running', startedAt: '2026-12-02T05:00:30Z' }] });
    expect(fake.follows).toHaveLength(3);
  });
});
