import pLimit, { type LimitFunction } from 'p-limit';
import pRetry from 'p-retry';
import { DockerError, isDockerError } from '../docker/errors.js';
import { PermanentActionError } from './actions.js';

export interface ExecutorSettings {
  actionTimeoutMs: number;
  retryMaxAttempts: number;
  retryBackoffBaseMs: number;
  maxConcurrentActions: number;
}

export type Attempted<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: Error; attempts: number };

/** Errors that another attempt cannot fix. */
function isPermanent(error: unknown): boolean {
  return (
    error instanceof PermanentActionError ||
    isDockerError(error, 'not-found') ||
    isDockerError(error, 'invalid') ||
    isDockerError(error, 'conflict')
  );
}

/** A failure after which Docker may or may not have done it: the outcome must be reconciled. */
export function isOutcomeUnknown(error: unknown): boolean {
  return (
    isDockerError(error, 'timeout') || isDockerError(error, 'unreachable') || error instanceof AttemptTimeout
  );
}

/** The attempt's deadline passed; the attempt was aborted and has ended. */
export class AttemptTimeout extends Error {
  override name = 'AttemptTimeout';
}

/**
 * Runs actions with a concurrency cap (p-limit), a deadline per attempt, and linear-backoff retries
 * (retry_backoff_base_ms × attempt, p-retry) for transient failures (engine unreachable, timeout, 5xx).
 *
 * The deadline aborts the attempt through its AbortSignal, and the executor waits for the attempt to
 * end before it retries or gives the slot back: a timed-out call never runs beside its own retry.
 * p-retry: its retry loop and abort handling; its exponential backoff is off (factor 1, minTimeout 0)
 * and the linear delay is awaited in shouldRetry, since the documented backoff is linear.
 */
export class Executor {
  private readonly limit: LimitFunction;

  constructor(private readonly settings: ExecutorSettings) {
    this.limit = pLimit(Math.max(1, settings.maxConcurrentActions));
  }

  get inFlight(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  /**
   * `deadlineMs`: this action's own bound when it needs longer than action_timeout (a slow stop).
   * `signal`: aborts the whole run (shutdown); the attempt in progress is aborted and awaited.
   */
  run<T>(
    attempt: (signal: AbortSignal, n: number) => Promise<T>,
    deadlineMs?: number,
    signal?: AbortSignal,
  ): Promise<Attempted<T>> {
    return this.limit(() =>
      this.retrying(attempt, Math.max(this.settings.actionTimeoutMs, deadlineMs ?? 0), signal),
    );
  }

  private async retrying<T>(
    attempt: (signal: AbortSignal, n: number) => Promise<T>,
    deadline: number,
    outer: AbortSignal | undefined,
  ): Promise<Attempted<T>> {
    let attempts = 0;
    const max = Math.max(1, this.settings.retryMaxAttempts);
    try {
      const value = await pRetry(
        async (n) => {
          attempts = n;
          return await bounded((s) => attempt(s, n), deadline, outer);
        },
        {
          retries: max - 1,
          factor: 1,
          minTimeout: 0,
          maxTimeout: 0,
          randomize: false,
          signal: outer,
          shouldRetry: async ({ error, attemptNumber }) => {
            if (isPermanent(error)) return false;
            await sleep(this.settings.retryBackoffBaseMs * attemptNumber, outer);
            return true;
          },
        },
      );
      return { ok: true, value, attempts };
    } catch (error) {
      return {
        ok: false,
        error: error instanceof Error ? error : new Error(String(error)),
        attempts: Math.max(1, attempts),
      };
    }
  }
}

/** One attempt under its deadline: the signal aborts it, and the attempt is awaited to its end. */
async function bounded<T>(
  run: (signal: AbortSignal) => Promise<T>,
  ms: number,
  outer: AbortSignal | undefined,
): Promise<T> {
  const timeout = AbortSignal.timeout(ms);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  try {
    return await run(signal);
  } catch (error) {
    if (timeout.aborted && !(error instanceof PermanentActionError)) {
      // Whatever the call said on being aborted, the cause is the deadline.
      const cause = error instanceof DockerError ? `: ${error.message}` : '';
      throw new AttemptTimeout(`action timed out after ${ms} ms${cause}`);
    }
    throw error;
  }
}

/** Stop and restart wait for the container's own grace period: their deadline is that plus 5 s. */
export function deadlineFor(spec: { kind: string; timeoutSecs?: number }): number | undefined {
  return spec.kind === 'stop' || spec.kind === 'restart' ? ((spec.timeoutSecs ?? 10) + 5) * 1000 : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
