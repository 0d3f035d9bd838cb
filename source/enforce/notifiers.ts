import pLimit from 'p-limit';
import pRetry, { AbortError } from 'p-retry';
import type { Config } from '../config/config-file.js';
import type { ActionRecord } from '../domain/action-record.js';

export interface NotifierOptions {
  fetch?: typeof fetch;
  /** Deliveries that failed for good, dropped or abandoned: one readable line each. */
  onError?: (message: string) => void;
  /** Delay before the first retry; doubles each time, capped at 10 s (default 500 ms). */
  backoffBaseMs?: number;
  /** Deliveries in flight at once across all notifiers (default 4); the rest wait their turn. */
  maxInFlight?: number;
  /** Deliveries waiting beyond this are dropped, and said so (default 1000). */
  maxQueued?: number;
  /** close() waits at most this long for deliveries, then abandons them (default 10 s). */
  closeTimeoutMs?: number;
}

export interface Notifiers {
  /** Fire-and-forget: returns at once, never throws; delivery happens later, with retries. */
  notify(record: ActionRecord): void;
  /** Waits for queued and in-flight deliveries (bounded by closeTimeoutMs). */
  close(): Promise<void>;
}

type Target = Config['notify'][number];
interface Delivery {
  target: Target;
  body: string;
  what: string;
}

/**
 * Action records to `[[notify]]` webhooks (README "Configuration"): generic JSON, or Slack's
 * incoming-webhook text. p-limit bounds the deliveries in flight; p-retry runs each one's attempts
 * with exponential backoff (base × 2^n, capped at 10 s), stops at a 4xx other than 408/429
 * (AbortError) and at shutdown (its signal), so no hand-written queue or retry loop is kept here.
 */
export function createNotifiers(configs: Config['notify'], options: NotifierOptions = {}): Notifiers {
  const doFetch = options.fetch ?? fetch;
  const report = options.onError ?? (() => {});
  const backoffBase = options.backoffBaseMs ?? 500;
  const limit = pLimit(Math.max(1, options.maxInFlight ?? 4));
  const maxQueued = Math.max(0, options.maxQueued ?? 1000);
  const closeTimeout = options.closeTimeoutMs ?? 10_000;
  const stop = new AbortController();
  /** Handed over and not yet started: what maxQueued bounds, and what close() abandons. */
  const waiting = new Set<Delivery>();
  const running = new Set<Promise<void>>();
  let closed = false;

  const deliver = async (delivery: Delivery): Promise<void> => {
    if (!waiting.delete(delivery)) return; // abandoned at shutdown before its turn
    const { target, body, what } = delivery;
    const attempts = target.retries + 1;
    let last = '';
    let retryable = true;
    try {
      await pRetry(
        async () => {
          const outcome = await post(doFetch, target, body, stop.signal);
          if (outcome.ok) return;
          last = outcome.error || last;
          retryable = outcome.retry;
          throw outcome.retry ? new Error(last) : new AbortError(last);
        },
        {
          retries: target.retries,
          factor: 2,
          minTimeout: backoffBase,
          maxTimeout: 10_000,
          randomize: false,
          signal: stop.signal,
        },
      );
    } catch {
      if (stop.signal.aborted)
        report(`${where(target)}: ${what}: abandoned at shutdown${last ? ` (${last})` : ''}`);
      else if (!retryable) report(`${where(target)}: ${what}: ${last} (not retried)`);
      else
        report(
          `${where(target)}: ${what}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last}`,
        );
    }
  };

  return {
    notify(record) {
      try {
        for (const target of configs) {
          if (!wants(target, record)) continue;
          const what = `${record.action} ${record.container.name || record.container.id.slice(0, 12)}`;
          if (closed) {
            report(`${where(target)}: ${what}: not sent, notifiers are closed`);
            continue;
          }
          if (waiting.size >= maxQueued) {
            report(`${where(target)}: ${what}: dropped, ${waiting.size} deliveries already waiting`);
            continue;
          }
          const body =
            target.kind === 'slack' ? JSON.stringify({ text: slackText(record) }) : JSON.stringify(record);
          const delivery = { target, body, what };
          waiting.add(delivery);
          // Later, not now: the caller (the executor) is never delayed by a delivery starting.
          setImmediate(() => {
            const done = limit(() => deliver(delivery));
            running.add(done);
            void done.finally(() => running.delete(done));
          });
        }
      } catch (error) {
        report(`notify: ${(error as Error).message}`);
      }
    },

    async close() {
      closed = true;
      // Deliveries handed over in this very tick are scheduled by setImmediate: let them enter.
      await new Promise((resolve) => setImmediate(resolve));
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          for (const d of waiting) report(`${where(d.target)}: ${d.what}: abandoned at shutdown`);
          waiting.clear();
          stop.abort();
          resolve();
        }, closeTimeout);
      });
      const idle = (async () => {
        while (running.size > 0) await Promise.allSettled([...running]);
      })();
      await Promise.race([idle, timedOut]);
      // After an abort, wait for the in-flight attempts to notice it (each ends at once).
      if (stop.signal.aborted) await idle;
      clearTimeout(timer);
    },
  };
}

function wants(target: Target, record: ActionRecord): boolean {
  if (target.min_result === 'failed' && record.result !== 'failed') return false;
  return !target.actions || target.actions.includes(record.action);
}

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

async function post(
  doFetch: typeof fetch,
  target: Target,
  body: string,
  stop: AbortSignal,
): Promise<Outcome> {
  const attempt = new AbortController();
  const onStop = () => attempt.abort();
  stop.addEventListener('abort', onStop, { once: true });
  const timer = setTimeout(() => attempt.abort(), target.timeout_ms);
  try {
    const response = await doFetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'brig' },
      body,
      signal: attempt.signal,
    });
    // Drain the body so the connection is released.
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    const retry = response.status >= 500 || response.status === 408 || response.status === 429;
    return { ok: false, retry, error: `HTTP ${response.status}` };
  } catch (error) {
    // Stopped at shutdown: the caller says so; a timeout of our own is a retryable failure.
    if (stop.aborted) return { ok: false, retry: false, error: '' };
    const message = attempt.signal.aborted ? `no answer within ${target.timeout_ms} ms` : causeOf(error);
    return { ok: false, retry: true, error: message };
  } finally {
    clearTimeout(timer);
    stop.removeEventListener('abort', onStop);
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED, …) in its cause. */
function causeOf(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(error);
}

/** Webhook URLs carry their secret in the path (Slack's do): messages show the origin only. */
function where(target: Target): string {
  try {
    return `${target.kind} ${new URL(target.url).origin}`;
  } catch {
    return target.kind;
  }
}

/** One readable line: what was done to which container, how it went, why (Slack escapes &, <, >). */
export function slackText(record: ActionRecord): string {
  const container = record.container.name || record.container.id.slice(0, 12);
  const outcome =
    record.result === 'ok'
      ? `ok in ${Math.round(record.latency_ms)} ms`
      : `FAILED after ${record.attempts} attempt${record.attempts === 1 ? '' : 's'}, ${Math.round(record.latency_ms)} ms${record.error ? `: ${record.error}` : ''}`;
  const why = [
    record.policy
      ? `policy ${record.policy}`
      : record.origin === 'manual'
        ? 'manual action'
        : `by ${record.origin}`,
    record.alert ? `alert ${record.alert}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const text = `brig: ${record.action} ${container}: ${outcome} (${why})`;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
