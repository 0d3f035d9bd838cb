import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerPort } from '../../source/docker/docker-port.js';
import { isDockerError } from '../../source/docker/errors.js';
import type { LogEvent, LogLine } from '../../source/domain/log-line.js';
import { TestContainers, testPort } from '../helpers/engine.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';

let port: DockerPort;
let containers: TestContainers;

beforeAll(async () => {
  port = testPort();
  containers = new TestContainers(port);
  await port.ping();
});

afterAll(async () => {
  await containers.cleanup();
});

/** A follow on the port, with what it has received so far and a way to wait for more. */
function follow(id: string, tail = 100) {
  const controller = new AbortController();
  const lines: LogLine[] = [];
  let ended: { error?: Error } | undefined;
  const waiters = new Set<() => void>();
  port.followLogs(
    id,
    { tail, signal: controller.signal },
    {
      onLine: (line) => {
        lines.push(line);
        waiters.forEach((w) => w());
      },
      onEnd: (error) => {
        ended = error ? { error } : {};
        waiters.forEach((w) => w());
      },
    },
  );
  const until = (what: string, test: () => boolean, timeoutMs = 15_000) =>
    new Promise<void>((resolve, reject) => {
      if (test()) return resolve();
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(`timed out waiting for ${what}; lines: ${JSON.stringify(lines.map((l) => l.text))}`),
        );
      }, timeoutMs);
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
    });
  return {
    lines,
    get ended() {
      return ended;
    },
    abort: () => controller.abort(),
    untilText: (text: string) => until(text, () => lines.some((l) => l.text === text)),
    untilEnd: () => until('the end of the stream', () => ended !== undefined),
  };
}

// Prints on stdout and stderr, then once per SIGUSR1: lines written after the follow started.
const chatty = [
  'sh',
  '-c',
  'trap \'n=$((n+1)); echo "usr1-$n"\' USR1; echo out-1; echo err-1 >&2; echo; echo out-2; while true; do sleep 0.1; done',
];

describe('Docker port: following a container log (the logs view)', () => {
  it('gives both streams with the engine timestamps, blank lines kept, and lines written after it started', async () => {
    const { id } = await containers.run('logs-both', { Cmd: chatty });
    const before = Date.now();
    const f = follow(id);
    await f.untilText('out-2');
    // Each stream in order; the engine does not promise an order between the two.
    const of = (stream: string) => f.lines.filter((l) => l.stream === stream).map((l) => l.text);
    expect(of('stdout')).toEqual(['out-1', '', 'out-2']);
    expect(of('stderr')).toEqual(['err-1']);
    for (const line of f.lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
      // The engine's clock and ours: within a minute of the start, not parsed as 1970 or NaN.
      expect(Math.abs(line.ms! - before)).toBeLessThan(60_000);
    }
    await port.kill(id, 'SIGUSR1');
    await f.untilText('usr1-1');
    await port.kill(id, 'SIGUSR1');
    await f.untilText('usr1-2');
    expect(f.ended).toBeUndefined();
    f.abort();
    await f.untilEnd();
    expect(f.ended).toEqual({});
    // Nothing arrives after the abort: the socket is closed.
    const count = f.lines.length;
    await port.kill(id, 'SIGUSR1');
    await new Promise((r) => setTimeout(r, 500));
    expect(f.lines.length).toBe(count);
  });

  it('starts from the last `tail` lines of history', async () => {
    const { id } = await containers.run('logs-tail', {
      Cmd: ['sh', '-c', 'for i in 1 2 3 4 5 6; do echo line-$i; done; echo done-printing; exec sleep 3600'],
    });
    const first = follow(id);
    await first.untilText('done-printing');
    first.abort();
    const f = follow(id, 3);
    await f.untilText('done-printing');
    expect(f.lines.map((l) => l.text)).toEqual(['line-5', 'line-6', 'done-printing']);
    f.abort();
  });

  it('reads a TTY container (raw stream, no frames): its lines, stderr included, come as stdout', async () => {
    const { id } = await containers.run('logs-tty', {
      Tty: true,
      Cmd: ['sh', '-c', 'echo tty-out; echo tty-err >&2; exec sleep 3600'],
    });
    const f = follow(id);
    await f.untilText('tty-err');
    expect(f.lines.map((l) => [l.stream, l.text])).toEqual([
      ['stdout', 'tty-out'],
      ['stdout', 'tty-err'],
    ]);
    expect(f.lines.every((l) => typeof l.ms === 'number')).toBe(true);
    f.abort();
    await f.untilEnd();
    expect(f.ended).toEqual({});
  });

  it('ends without an error when the container exits, its last line delivered', async () => {
    const { id } = await containers.run('logs-exit', {
      Cmd: ['sh', '-c', 'sleep 1; echo last-words'],
    });
    const f = follow(id);
    await f.untilEnd();
    expect(f.ended).toEqual({});
    // (A last line without a newline is flushed too, see test/unit/log-lines.test.ts; whether the
    // engine has logged it before it ends the follow is its own race, so it is not asserted here.)
    expect(f.lines.map((l) => l.text)).toEqual(['last-words']);
  });

  it('refuses an id that is not 64 hex digits, and reports an unknown one as not found', async () => {
    const bad = follow('web-1');
    await bad.untilEnd();
    expect(isDockerError(bad.ended?.error, 'invalid')).toBe(true);
    const unknown = follow('a'.repeat(64));
    await unknown.untilEnd();
    expect(isDockerError(unknown.ended?.error, 'not-found')).toBe(true);
  });
});

describe('Engine: followLogs for the views', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({});
  });
  afterAll(async () => {
    await harness?.close();
  });

  function listen(ref: string) {
    const events: LogEvent[] = [];
    const stop = harness.engine.followLogs(ref, { tail: 50 }, (e) => events.push(e));
    const until = async (test: () => boolean, what: string) => {
      for (let i = 0; i < 300 && !test(); i++) await new Promise((r) => setTimeout(r, 50));
      if (!test()) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(events)}`);
    };
    return { events, stop, until };
  }

  it('follows a container by name on the engine that holds it, and reports its end as a message', async () => {
    const { id, name } = await containers.run('logs-engine', {
      Cmd: ['sh', '-c', 'echo engine-1; echo engine-2 >&2; sleep 2; echo bye'],
    });
    await harness.until((s) => s.containers.some((c) => c.id === id), 'the container in the inventory');
    const l = listen(name);
    await l.until(() => l.events.some((e) => e.type === 'end'), 'the end');
    const lines = l.events.flatMap((e) => (e.type === 'line' ? [`${e.line.stream} ${e.line.text}`] : []));
    // The two streams' relative order is the engine's; `bye` comes two seconds later.
    expect([...lines.slice(0, 2)].sort()).toEqual(['stderr engine-2', 'stdout engine-1']);
    expect(lines[2]).toBe('stdout bye');
    expect(l.events.at(-1)).toEqual({
      type: 'end',
      error: false,
      message: `${name}: the log stream ended (container stopped)`,
    });
  });

  it('an unknown container or bad options reach the listener as an error message, never a throw', async () => {
    const l = listen('no-such-container');
    await l.until(() => l.events.length > 0, 'the refusal');
    expect(l.events).toEqual([
      { type: 'end', error: true, message: 'logs: no container no-such-container in the inventory' },
    ]);
    const events: LogEvent[] = [];
    harness.engine.followLogs('x', { tail: -1 }, (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'end',
      error: true,
      message: expect.stringMatching(/^logs: tail: /),
    });
  });

  it('stop() ends the follow: no more lines, and no end message to a view that left', async () => {
    const { id, name } = await containers.run('logs-stop', { Cmd: chatty });
    await harness.until((s) => s.containers.some((c) => c.id === id), 'the container in the inventory');
    const l = listen(name);
    await l.until(() => l.events.some((e) => e.type === 'line' && e.line.text === 'out-2'), 'out-2');
    l.stop();
    const count = l.events.length;
    await port.kill(id, 'SIGUSR1');
    await new Promise((r) => setTimeout(r, 500));
    expect(l.events).toHaveLength(count);
  });
});
