import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenRefusal } from '../config/listen-address.js';
import type { Alert } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';
import type { CommandErrorCode, CommandResult, EngineCommand, EngineStatus } from '../domain/snapshot.js';
import { type BrigMetrics, type HttpRejectionReason, intakeHttpMetrics } from '../metrics/metrics.js';
import { BodyBudget } from './body-budget.js';
import type { BoundedQueue } from './bounded-queue.js';
import { ConnectionGuard } from './connection-guard.js';
import { type AlertJournal, offerAll } from './hand-over.js';
import { bearerMatches } from './http-auth.js';
import { readBody } from './http-body.js';
import { HttpRejectionLog } from './http-rejection-log.js';
import { intakeEventEntry } from './intake-event.js';
import { type IntakeFormat, type ParseOptions, parsePayload } from './parse.js';

export interface IntakeServerOptions {
  host: string;
  port: number;
  /** Bearer token for every POST; arm, disarm and restore are refused outright without one. */
  token?: string;
  /** Default 1 MiB. */
  maxBodyBytes: number;
  queue: BoundedQueue<Alert>;
  /** Journals `rejected` records (shed alerts too, reason "shed: queue full"; HTTP summaries). */
  record: (entry: JournalEntry) => void;
  /** Where accepted alerts are journaled before their 202 (group commit: see AlertJournal). */
  alertJournal: AlertJournal;
  metrics: BrigMetrics;
  commands: (command: EngineCommand) => Promise<CommandResult>;
  health: () => EngineStatus[];
  /** The journal's state: /healthz answers 503 while it cannot be written (Brig acts on nothing). */
  journalHealth?: () => { ok: boolean; error?: string };
  /** Seconds in Retry-After when the queue is full; default 1. */
  retryAfterSeconds?: number;
  /** Open connections at most; default 256. */
  maxConnections?: number;
  /** Open connections at most from one remote address; default 64. */
  maxConnectionsPerAddress?: number;
  /** Bytes of request bodies held at once, all requests together; default 16 MiB. */
  maxBufferedBodyBytes?: number;
  /** Request headers in bytes at most (431 past it); default 16 KiB. */
  maxHeaderBytes?: number;
  /** A request's headers must all arrive within this; default 5 s. */
  headersTimeoutMs?: number;
  /** A whole request (headers and body) must arrive within this; default 15 s. */
  requestTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this; default 5 s. */
  keepAliveTimeoutMs?: number;
  /** At most one `rejected` summary record of HTTP refusals per this; default 10 s. */
  rejectionSummaryMs?: number;
  /** Alertmanager severity words from the config. */
  parse?: ParseOptions;
  /**
   * A batch that does not fit in the queue waits up to this long for the engine to make room before
   * it is shed; default 250 ms.
   */
  fullQueueWaitMs?: number;
}

/** The options with every default filled in, and the state shared by all requests. */
interface Context extends IntakeServerOptions {
  guard: ConnectionGuard;
  refusals: HttpRejectionLog;
  budget: BodyBudget;
}

export interface IntakeServer {
  address: { host: string; port: number };
  close(): Promise<void>;
}

const maxListedRejections = 1000;

const alertRoutes: Record<string, IntakeFormat> = {
  '/v1/alerts': 'native',
  '/v1/falco': 'falco',
  '/v1/alertmanager': 'alertmanager',
};

/** The HTTP API of DESIGN §9 (`--listen`). Never throws into node:http: every failure is an answer. */
export async function startIntakeServer(options: IntakeServerOptions): Promise<IntakeServer> {
  // The supervisor checked this already; a library entry point keeps its own guard, by the same rule.
  const refusal = listenRefusal(options, options.token !== undefined, options.host);
  if (refusal) throw new Error(refusal);
  const headersTimeout = options.headersTimeoutMs ?? 5000;
  const server = createServer({
    keepAlive: true,
    maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
    headersTimeout,
    requestTimeout: Math.max(options.requestTimeoutMs ?? 15_000, headersTimeout),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5000,
    // Node checks the two timeouts above only this often (default 30 s: a slowloris' friend).
    connectionsCheckingInterval: Math.min(1000, headersTimeout),
  });
  const httpMetrics = intakeHttpMetrics(options.metrics.registry);
  const refusals = new HttpRejectionLog(httpMetrics, options.record, options.rejectionSummaryMs);
  const guard = new ConnectionGuard(server, {
    maxConnections: options.maxConnections ?? 256,
    maxPerAddress: options.maxConnectionsPerAddress ?? 64,
    refused: (reason) => refusals.count(reason),
    onCount: (open) => httpMetrics.connections.set(open),
  });
  const context: Context = {
    ...options,
    guard,
    refusals,
    budget: new BodyBudget(options.maxBufferedBodyBytes ?? 16 * 1024 * 1024),
  };
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    if (!guard.admit(request, response)) return;
    handle(request, response, context).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: `internal error: ${String(error)}` });
      else response.destroy();
    });
  };
  server.on('request', onRequest);
  // `Expect: 100-continue` (curl sends it for bodies over 1 MB): the same checks in the same order
  // as any request (path, token, then size), so an oversized body is refused before the client
  // sends any of it; "100 Continue" is sent only once the body is going to be read.
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    (request as ContinueAware)[continueWanted] = true;
    onRequest(request, response);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const [status, reason] = clientErrorAnswer(error.code);
    if (reason) refusals.count(reason);
    if (socket.writable && status)
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: { host: bound.address, port: bound.port },
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          refusals.flush();
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

async function handle(request: IncomingMessage, response: ServerResponse, o: Context): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0]!;
  const method = request.method ?? 'GET';

  if (path === '/healthz' || path === '/metrics') {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(request, response, 'GET', o);
    request.resume();
    if (path === '/healthz') {
      const journal = o.journalHealth?.() ?? { ok: true };
      // A journal that cannot be written means Brig acts on nothing: a probe must see it.
      return send(response, journal.ok ? 200 : 503, {
        engines: o.health().map(({ host, up }) => ({ host, up })),
        journal: journal.ok ? { ok: true } : { ok: false, error: journal.error },
      });
    }
    const text = await o.metrics.registry.metrics();
    response.writeHead(200, {
      'Content-Type': o.metrics.registry.contentType,
      'Content-Length': Buffer.byteLength(text),
    });
    response.end(text);
    return;
  }

  const format = alertRoutes[path];
  const command = commandFor(path);
  if (!format && !command)
    return refuse(request, response, o, 404, 'not_found', `no such endpoint: ${method} ${path}`);
  if (method !== 'POST') return notAllowed(request, response, 'POST', o);

  if (command) {
    if (!o.token)
      return refuse(
        request,
        response,
        o,
        403,
        'forbidden',
        'arm, disarm and restore over HTTP need a token: start Brig with --token-file',
      );
    if (!bearerMatches(request, o.token)) return unauthorized(request, response, o);
    request.resume();
    if (command.type === 'restore' && !command.container)
      return send(response, 400, { error: 'no container in /v1/restore/{container}' });
    return runCommand(response, command, o);
  }

  // Who first, then what: nothing of an unauthenticated request is read, and its body size is
  // none of its business yet.
  if (o.token && !bearerMatches(request, o.token)) return unauthorized(request, response, o);
  const encoding = request.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity')
    return refuse(
      request,
      response,
      o,
      415,
      'unsupported_encoding',
      `Content-Encoding ${encoding} is not supported: send the JSON uncompressed`,
    );
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBodyBytes) return tooLarge(request, response, o);

  const release = await o.budget.reserve(Number.isFinite(declared) ? declared : o.maxBodyBytes);
  try {
    if (request.destroyed) return; // went away while waiting for the budget: nobody to answer
    if ((request as ContinueAware)[continueWanted]) response.writeContinue();
    const body = await readBody(request, o.maxBodyBytes);
    if (!body.ok) {
      if (!body.tooLarge) return; // the client went away: nobody to answer
      return tooLarge(request, response, o);
    }
    const text = body.text;
    // The buffer's bytes are a string now: the budget counts bytes held, so give them back.
    release();
    return await takeAlerts(response, path, format!, text, o);
  } finally {
    release();
  }
}

async function takeAlerts(
  response: ServerResponse,
  path: string,
  format: IntakeFormat,
  text: string,
  o: Context,
): Promise<void> {
  const source = `http:${path}`;
  const outcome = parsePayload(text, format, o.parse);
  for (const rejected of outcome.rejected) {
    o.metrics.reject(rejected.reason);
    o.record({ type: 'rejected', source, reason: rejected.reason, raw: rejected.raw });
  }
  for (const event of outcome.events) o.record(intakeEventEntry(event));
  // The answer lists at most maxListedRejections (a 1 MiB body of "1" lines would otherwise answer
  // with megabytes); `rejected_total` then says how many there were. Each one is still journaled.
  const rejected = outcome.rejected
    .slice(0, maxListedRejections)
    .map(({ index, reason }) => ({ index, reason }));
  const counts: Record<string, unknown> =
    outcome.rejected.length > maxListedRejections ? { rejected_total: outcome.rejected.length } : {};
  if (outcome.unparseable)
    return send(response, 400, {
      error: rejected[0]?.reason ?? 'unparseable body',
      accepted: 0,
      rejected,
      ...counts,
    });

  // Back-pressure: a batch that does not fit waits a moment for the engine to make room. A sender
  // that retries a 503 at once is then held to the engine's pace instead of being parsed, shed and
  // journaled as fast as it can send (an overloaded intake's memory stays bounded: issue 15), and
  // an engine only briefly behind takes the batch instead of shedding it.
  const n = outcome.alerts.length;
  if (n > o.queue.capacity - o.queue.size && n <= o.queue.capacity)
    await o.queue.waitForRoom(o.queue.capacity - n, o.fullQueueWaitMs ?? 250);
  const handed = offerAll(outcome.alerts, o.queue, o.metrics, o.record, source, o.alertJournal);
  const answer: Record<string, unknown> = { accepted: handed.accepted, rejected, ...counts };
  if (outcome.ignored > 0) answer.ignored = outcome.ignored;
  if (outcome.notes.length > 0) answer.notes = outcome.notes;
  // 202 only once the accepted alerts are in the journal, fsync'd. The same wait for shed and
  // rejected records is the back-pressure that keeps a flood's journal lines from piling up.
  const failure = await o.alertJournal.commit().then(
    () => handed.failure,
    (error: unknown) => handed.failure ?? (error instanceof Error ? error : new Error(String(error))),
  );
  if (failure) {
    o.refusals.count('journal_unavailable');
    response.setHeader('Retry-After', String(o.retryAfterSeconds ?? 1));
    return send(response, 503, {
      ...answer,
      durable: false,
      error: `journal not writable (${failure.message}): the alerts are not durably taken; retry later`,
    });
  }
  if (handed.shed > 0) {
    answer.shed = handed.shed;
    answer.error = 'queue full: retry later';
    response.setHeader('Retry-After', String(o.retryAfterSeconds ?? 1));
    return send(response, 503, answer);
  }
  send(response, 202, answer);
}

async function runCommand(
  response: ServerResponse,
  command: EngineCommand,
  o: IntakeServerOptions,
): Promise<void> {
  const result = await o.commands(command);
  if (result.ok) {
    if (command.type === 'restore') return send(response, 200, result.record ?? { message: result.message });
    return send(response, 200, { armed: command.type === 'arm', message: result.message });
  }
  const status = statusFor(result.code);
  send(response, status, { error: result.message });
}

function commandFor(path: string): EngineCommand | undefined {
  if (path === '/v1/arm') return { type: 'arm' };
  if (path === '/v1/disarm') return { type: 'disarm' };
  const restore = /^\/v1\/restore\/([^/]*)$/.exec(path);
  if (!restore) return undefined;
  let container: string;
  try {
    container = decodeURIComponent(restore[1]!);
  } catch {
    container = '';
  }
  return { type: 'restore', container: container.slice(0, 256) };
}

/**
 * An HTTP-level refusal: counted by reason, summarized in the journal (never a record per request),
 * answered, and the connection closed without reading the body (a body the client announced is
 * not invited, and a keep-alive socket cannot be left mid-body).
 */
function refuse(
  request: IncomingMessage,
  response: ServerResponse,
  o: Context,
  status: number,
  reason: HttpRejectionReason,
  error: string,
): void {
  o.refusals.count(reason);
  response.setHeader('Connection', 'close');
  // A body that is arriving anyway is dropped as it comes; the socket closes soon after the answer.
  request.resume();
  response.on('finish', () => setTimeout(() => request.socket.destroy(), 1000).unref());
  send(response, status, { error });
}

function unauthorized(request: IncomingMessage, response: ServerResponse, o: Context): void {
  response.setHeader('WWW-Authenticate', 'Bearer');
  refuse(request, response, o, 401, 'unauthorized', 'missing or wrong bearer token');
}

function tooLarge(request: IncomingMessage, response: ServerResponse, o: Context): void {
  refuse(request, response, o, 413, 'body_too_large', `body too large: over ${o.maxBodyBytes} bytes`);
}

function notAllowed(request: IncomingMessage, response: ServerResponse, allow: string, o: Context): void {
  response.setHeader('Allow', allow);
  refuse(request, response, o, 405, 'method_not_allowed', `${request.method} not allowed here; use ${allow}`);
}

const continueWanted = Symbol('expects 100-continue');
type ContinueAware = IncomingMessage & { [continueWanted]?: true };

/** node:http's parse and timeout errors: the answer (none for a reset) and the refusal's reason. */
function clientErrorAnswer(code: string | undefined): [string | undefined, HttpRejectionReason | undefined] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return ['431 Request Header Fields Too Large', 'headers_too_large'];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['408 Request Timeout', 'timeout'];
    case 'ECONNRESET':
    case 'EPIPE':
      return [undefined, undefined]; // the client went away: nothing to refuse or answer
    default:
      return ['400 Bad Request', 'bad_request'];
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Typed command outcomes to HTTP statuses (never by matching the message's words). */
function statusFor(code: CommandErrorCode | undefined): number {
  switch (code) {
    case 'not-found':
      return 404;
    case 'journal-unavailable':
      return 503;
    default:
      return 409;
  }
}
