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

  /** `deadlineMs`: this action's own bound when it needs longer than action_timeout (a slow stop). */
  async run<T>(attempt: () => Promise<T>, deadlineMs?: number): Promise<Attempted<T>> {
    await this.acquire();
    try {
      let last: Error = new Error('no attempt made');
      for (let n = 1; n <= this.settings.retryMaxAttempts; n += 1) {
        try {
          const value = await withDeadline(
            attempt(),
            Math.max(this.settings.actionTimeoutMs, deadlineMs ?? 0),
          );
          return { ok: true, value, attempts: n };
        } catch (error) {
          last = error instanceof Error ? error : new Error(String(error));
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

/** Stop and restart wait for the container's own grace period: their deadline is that plus 5 s. */
export function deadlineFor(spec: { kind: string; timeoutSecs?: number }): number | undefined {
  return spec.kind === 'stop' || spec.kind === 'restart' ? ((spec.timeoutSecs ?? 10) + 5) * 1000 : undefined;
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
