import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenRefusal } from '../config/listen-address.js';
import type { Alert } from '../domain/alert.js';
import type { JournalEntry } from '../domain/journal-record.js';
import type { CommandErrorCode, CommandResult, EngineCommand, EngineStatus } from '../domain/snapshot.js';
import type { BrigMetrics } from '../metrics/metrics.js';
import type { BoundedQueue } from './bounded-queue.js';
import { bearerMatches } from './http-auth.js';
import { readBody } from './http-body.js';
import { type IntakeFormat, parsePayload } from './parse.js';
import { offerAll } from './hand-over.js';

export interface IntakeServerOptions {
  host: string;
  port: number;
  /** Bearer token for every POST; arm, disarm and restore are refused outright without one. */
  token?: string;
  /** Default 1 MiB. */
  maxBodyBytes: number;
  queue: BoundedQueue<Alert>;
  /** Journals `rejected` records (shed alerts too, reason "shed: queue full"). */
  record: (entry: JournalEntry) => void;
  metrics: BrigMetrics;
  commands: (command: EngineCommand) => Promise<CommandResult>;
  health: () => EngineStatus[];
  /** The journal's state: /healthz answers 503 while it cannot be written (Brig acts on nothing). */
  journalHealth?: () => { ok: boolean; error?: string };
  /** Seconds in Retry-After when the queue is full; default 1. */
  retryAfterSeconds?: number;
  /** Open connections at most (each may hold one body of up to maxBodyBytes); default 256. */
  maxConnections?: number;
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
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, options).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { error: `internal error: ${String(error)}` });
      else response.destroy();
    });
  };
  const server = createServer({ keepAlive: true }, onRequest);
  // `Expect: 100-continue` (curl sends it for bodies over 1 MB): refuse an announced oversized body
  // before the client sends any of it, instead of inviting it with "100 Continue".
  server.on('checkContinue', (request: IncomingMessage, response: ServerResponse) => {
    if (Number(request.headers['content-length']) > options.maxBodyBytes) {
      const reason = `body too large: over ${options.maxBodyBytes} bytes`;
      options.metrics.reject(reason);
      options.record({
        type: 'rejected',
        source: `http:${(request.url ?? '/').split('?', 1)[0]}`,
        reason,
        raw: '',
      });
      response.setHeader('Connection', 'close');
      return send(response, 413, { error: reason });
    }
    response.writeContinue();
    onRequest(request, response);
  });
  // Bounds memory: at most this many bodies (each capped at maxBodyBytes) are ever being read at once.
  server.maxConnections = options.maxConnections ?? 256;
  server.on('clientError', (_error, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  o: IntakeServerOptions,
): Promise<void> {
  const path = (request.url ?? '/').split('?', 1)[0]!;
  const method = request.method ?? 'GET';

  if (path === '/healthz' || path === '/metrics') {
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(request, response, 'GET');
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
  if (!format && !command) {
    request.resume();
    return send(response, 404, { error: `no such endpoint: ${method} ${path}` });
  }
  if (method !== 'POST') return notAllowed(request, response, 'POST');

  if (command) {
    request.resume();
    if (!o.token)
      return send(response, 403, {
        error: 'arm, disarm and restore over HTTP need a token: start Brig with --token-file',
      });
    if (!bearerMatches(request, o.token)) return unauthorized(response);
    if (command.type === 'restore' && !command.container)
      return send(response, 400, { error: 'no container in /v1/restore/{container}' });
    return runCommand(response, command, o);
  }

  if (o.token && !bearerMatches(request, o.token)) {
    // Do not read an unauthenticated body: answer, then close the connection.
    response.setHeader('Connection', 'close');
    request.resume();
    return unauthorized(response);
  }
  const encoding = request.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') {
    response.setHeader('Connection', 'close');
    request.resume();
    return send(response, 415, {
      error: `Content-Encoding ${encoding} is not supported: send the JSON uncompressed`,
    });
  }
  const body = await readBody(request, o.maxBodyBytes);
  if (!body.ok) {
    if (!body.tooLarge) return; // the client went away: nobody to answer
    const reason = `body too large: over ${o.maxBodyBytes} bytes`;
    o.metrics.reject(reason);
    o.record({ type: 'rejected', source: `http:${path}`, reason, raw: '' });
    // Stop reading: answer and close rather than swallow the rest of a huge body.
    response.setHeader('Connection', 'close');
    response.on('finish', () => setTimeout(() => request.socket.destroy(), 1000).unref());
    return send(response, 413, { error: reason });
  }
  return takeAlerts(response, path, format!, body.text, o);
}

function takeAlerts(
  response: ServerResponse,
  path: string,
  format: IntakeFormat,
  text: string,
  o: IntakeServerOptions,
): void {
  const source = `http:${path}`;
  const outcome = parsePayload(text, format);
  for (const rejected of outcome.rejected) {
    o.metrics.reject(rejected.reason);
    o.record({ type: 'rejected', source, reason: rejected.reason, raw: rejected.raw });
  }
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

  const { accepted, shed } = offerAll(outcome.alerts, o.queue, o.metrics, o.record, source);
  const answer: Record<string, unknown> = { accepted, rejected, ...counts };
  if (outcome.ignored > 0) answer.ignored = outcome.ignored;
  if (outcome.notes.length > 0) answer.notes = outcome.notes;
  if (shed > 0) {
    answer.shed = shed;
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

function unauthorized(response: ServerResponse): void {
  response.setHeader('WWW-Authenticate', 'Bearer');
  send(response, 401, { error: 'missing or wrong bearer token' });
}

function notAllowed(request: IncomingMessage, response: ServerResponse, allow: string): void {
  request.resume();
  response.setHeader('Allow', allow);
  send(response, 405, { error: `${request.method} not allowed here; use ${allow}` });
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
