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

/** Action records to `[[notify]]` webhooks (DESIGN §6): generic JSON, or Slack's incoming-webhook text. */
export function createNotifiers(configs: Config['notify'], options: NotifierOptions = {}): Notifiers {
  const doFetch = options.fetch ?? fetch;
  const report = options.onError ?? (() => {});
  const backoffBase = options.backoffBaseMs ?? 500;
  const maxInFlight = Math.max(1, options.maxInFlight ?? 4);
  const maxQueued = Math.max(0, options.maxQueued ?? 1000);
  const closeTimeout = options.closeTimeoutMs ?? 10_000;
  const stop = new AbortController();
  const queue: Delivery[] = [];
  let active = 0;
  let closed = false;
  let idle: (() => void) | undefined;

  const pump = () => {
    while (active < maxInFlight && queue.length > 0) {
      const delivery = queue.shift()!;
      active++;
      void deliver(delivery).finally(() => {
        active--;
        pump();
        if (active === 0 && queue.length === 0) idle?.();
      });
    }
  };

  const deliver = async ({ target, body, what }: Delivery): Promise<void> => {
    const attempts = target.retries + 1;
    let last = '';
    for (let attempt = 1; attempt <= attempts && !stop.signal.aborted; attempt++) {
      const outcome = await post(doFetch, target, body, stop.signal);
      if (outcome.ok) return;
      last = outcome.error || last;
      if (stop.signal.aborted) break;
      if (!outcome.retry) {
        report(`${where(target)}: ${what}: ${last} (not retried)`);
        return;
      }
      if (attempt < attempts) await sleep(Math.min(backoffBase * 2 ** (attempt - 1), 10_000), stop.signal);
    }
    if (stop.signal.aborted)
      report(`${where(target)}: ${what}: abandoned at shutdown${last ? ` (${last})` : ''}`);
    else
      report(
        `${where(target)}: ${what}: gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${last}`,
      );
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
          if (queue.length >= maxQueued) {
            report(`${where(target)}: ${what}: dropped, ${queue.length} deliveries already waiting`);
            continue;
          }
          const body =
            target.kind === 'slack' ? JSON.stringify({ text: slackText(record) }) : JSON.stringify(record);
          queue.push({ target, body, what });
        }
        // Later, not now: the caller (the executor) is never delayed by a delivery starting.
        if (queue.length > 0) setImmediate(pump);
      } catch (error) {
        report(`notify: ${(error as Error).message}`);
      }
    },

    async close() {
      closed = true;
      pump();
      if (active === 0 && queue.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        idle = resolve;
        timer = setTimeout(() => {
          const left = queue.splice(0);
          for (const d of left) report(`${where(d.target)}: ${d.what}: abandoned at shutdown`);
          stop.abort();
          if (active === 0) resolve();
        }, closeTimeout);
      });
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
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
