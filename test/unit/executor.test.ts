import { describe, expect, it } from 'vitest';
import { DockerError } from '../../source/docker/errors.js';
import { PermanentActionError } from '../../source/enforce/actions.js';
import { deadlineFor, Executor } from '../../source/enforce/executor.js';

const settings = {
  actionTimeoutMs: 1000,
  retryMaxAttempts: 3,
  retryBackoffBaseMs: 1,
  maxConcurrentActions: 2,
};

describe('executor', () => {
  it('retries transient failures up to retry_max_attempts, then reports the last error', async () => {
    let calls = 0;
    const result = await new Executor(settings).run(async () => {
      calls += 1;
      throw new DockerError(
        'unreachable',
        'unix:///x.sock',
        'pause: Docker engine unreachable (ECONNREFUSED)',
      );
    });
    expect(calls).toBe(3);
    expect(result).toMatchObject({ ok: false, attempts: 3 });
    expect(result.ok ? '' : result.error.message).toContain('unix:///x.sock');
  });

  it('succeeds on a later attempt and says how many it took', async () => {
    let calls = 0;
    const result = await new Executor(settings).run(async () => {
      calls += 1;
      if (calls < 2) throw new DockerError('timeout', 'h', 'timed out');
      return 'done';
    });
    expect(result).toEqual({ ok: true, value: 'done', attempts: 2 });
  });

  it('never retries what another attempt cannot fix', async () => {
    for (const error of [
      new DockerError('not-found', 'h', 'gone', 404),
      new DockerError('conflict', 'h', 'is not running', 409),
      new DockerError('invalid', 'h', 'refused'),
      new PermanentActionError('host network'),
    ]) {
      let calls = 0;
      const result = await new Executor(settings).run(async () => {
        calls += 1;
        throw error;
      });
      expect(calls).toBe(1);
      expect(result.attempts).toBe(1);
    }
  });

  it('caps concurrent actions', async () => {
    const executor = new Executor({ ...settings, maxConcurrentActions: 2 });
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const runs = Array.from({ length: 5 }, () =>
      executor.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise<void>((r) => releases.push(r));
        running -= 1;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(running).toBe(2);
    expect(executor.inFlight).toBe(5);
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(runs);
    expect(peak).toBe(2);
  });

  it('sizes the deadline of stop and restart to their grace period', () => {
    expect(deadlineFor({ kind: 'stop', timeoutSecs: 60 })).toBe(65_000);
    expect(deadlineFor({ kind: 'restart', timeoutSecs: 10 })).toBe(15_000);
    expect(deadlineFor({ kind: 'pause' })).toBeUndefined();
  });
});

describe('executor: deadlines abort the attempt, and nothing overlaps it', () => {
  it('aborts a timed-out attempt through its signal and starts the retry only after it has ended', async () => {
    const events: string[] = [];
    let calls = 0;
    const executor = new Executor({
      ...settings,
      actionTimeoutMs: 30,
      retryMaxAttempts: 2,
      maxConcurrentActions: 1,
    });
    const result = await executor.run(async (signal) => {
      const n = ++calls;
      events.push(`start ${n}`);
      if (n === 1) {
        // A call that honours its signal, but takes a while to wind down after the abort.
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 40)));
        events.push(`end ${n} aborted=${signal.aborted}`);
        throw new Error('aborted');
      }
      events.push(`end ${n}`);
      return 'second';
    });
    expect(result).toMatchObject({ ok: true, value: 'second', attempts: 2 });
    expect(events).toEqual(['start 1', 'end 1 aborted=true', 'start 2', 'end 2']);
  });

  it('holds the concurrency slot until a timed-out attempt has ended', async () => {
    const executor = new Executor({
      ...settings,
      actionTimeoutMs: 20,
      retryMaxAttempts: 1,
      maxConcurrentActions: 1,
    });
    let firstEnded = false;
    const first = executor.run(async (signal) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => setTimeout(resolve, 50)));
      firstEnded = true;
      throw new Error('aborted');
    });
    let secondSawFirstEnded: boolean | undefined;
    const second = executor.run(async () => {
      secondSawFirstEnded = firstEnded;
    });
    const [a] = await Promise.all([first, second]);
    expect(a).toMatchObject({
      ok: false,
      error: expect.objectContaining({ message: expect.stringMatching(/timed out after 20 ms/) }),
    });
    expect(secondSawFirstEnded).toBe(true);
  });

  it('a shutdown signal aborts the attempt in flight and stops the retries', async () => {
    const stop = new AbortController();
    let calls = 0;
    const run = new Executor({ ...settings, actionTimeoutMs: 10_000 }).run(
      async (signal) => {
        calls++;
        await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
        throw new DockerError('unreachable', 'h', 'aborted');
      },
      undefined,
      stop.signal,
    );
    setTimeout(() => stop.abort(), 10);
    expect((await run).ok).toBe(false);
    expect(calls).toBe(1);
  });
});
