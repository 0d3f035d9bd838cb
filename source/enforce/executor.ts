import { isDockerError } from '../docker/errors.js';
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

/**
 * Runs actions with a concurrency cap, a deadline per attempt, and linear-backoff retries
 * (retry_backoff_base_ms × attempt) for transient failures (engine unreachable, timeout, 5xx).
 */
export class Executor {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly settings: ExecutorSettings) {}

  get inFlight(): number {
    return this.running + this.waiting.length;
  }

  async run<T>(
    attempt: () => Promise<T>,
    onAttempt?: (n: number, error?: Error) => void,
  ): Promise<Attempted<T>> {
    await this.acquire();
    try {
      let last: Error = new Error('no attempt made');
      for (let n = 1; n <= this.settings.retryMaxAttempts; n += 1) {
        try {
          const value = await withDeadline(attempt(), this.settings.actionTimeoutMs);
          onAttempt?.(n);
          return { ok: true, value, attempts: n };
        } catch (error) {
          last = error instanceof Error ? error : new Error(String(error));
          onAttempt?.(n, last);
          if (isPermanent(error) || n === this.settings.retryMaxAttempts)
            return { ok: false, error: last, attempts: n };
          await sleep(this.settings.retryBackoffBaseMs * n);
        }
      }
      return { ok: false, error: last, attempts: this.settings.retryMaxAttempts };
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.settings.maxConcurrentActions) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running -= 1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The port's own per-call timeouts bound each request; this bounds the whole attempt (several calls). */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`action timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
