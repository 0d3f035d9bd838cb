import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpRejectionReason } from '../metrics/metrics.js';

export interface ConnectionGuardOptions {
  /** Open connections at most, all addresses together. */
  maxConnections: number;
  /** Open connections at most from one remote address. */
  maxPerAddress: number;
  refused: (reason: HttpRejectionReason) => void;
  /** Open connections now, after each change (for a gauge). */
  onCount?: (open: number) => void;
}

interface Tracked {
  address: string;
  /** A request has been read and its answer is not finished: never evicted. */
  busy: boolean;
}

/**
 * Connection slots that a slowloris cannot hold (issue 11: 500 sockets sending a header byte a
 * second held all 256 slots for 30 s). One address holds at most `maxPerAddress` slots, all
 * together at most `maxConnections`. At a cap a new connection is not turned away: it evicts the
 * oldest connection (of its own address, at the per-address cap) that is not in the middle of a
 * request — still sending its headers, or idle between keep-alive requests. Only when all of those
 * are busy is the newcomer refused (503). Node's header and request timeouts close slow ones too.
 */
export class ConnectionGuard {
  // Insertion order = age: the first idle one found is the oldest.
  private readonly open = new Map<Socket, Tracked>();
  private readonly perAddress = new Map<string, number>();
  /** Refused sockets live for a second at most; a request that still comes on one gets a 503. */
  private readonly refused = new WeakSet<Socket>();

  constructor(
    server: Server,
    private readonly options: ConnectionGuardOptions,
  ) {
    server.on('connection', (socket: Socket) => this.connected(socket));
  }

  /**
   * Called first for every request: false when its connection was refused (then it has been
   * answered 503 and must not be handled); otherwise the connection is busy until the answer ends.
   */
  admit(request: IncomingMessage, response: ServerResponse): boolean {
    const socket = request.socket;
    if (this.refused.has(socket)) {
      request.resume();
      const body = '{"error":"too many connections: retry later"}';
      response.writeHead(503, {
        Connection: 'close',
        'Retry-After': '1',
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': body.length,
      });
      response.end(body);
      return false;
    }
    const tracked = this.open.get(socket);
    if (tracked) {
      tracked.busy = true;
      response.once('close', () => (tracked.busy = false));
    }
    return true;
  }

  private connected(socket: Socket): void {
    const address = socket.remoteAddress ?? '';
    // At a cap, the oldest idle connection (of that address, for its cap) makes room.
    const full =
      (this.perAddress.get(address) ?? 0) >= this.options.maxPerAddress
        ? address
        : this.open.size >= this.options.maxConnections
          ? null
          : undefined;
    if (full !== undefined) {
      const idle = this.oldestIdle(full);
      if (!idle) return this.refuse(socket);
      this.options.refused('evicted');
      this.forget(idle);
      idle.destroy();
    }
    this.open.set(socket, { address, busy: false });
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.options.onCount?.(this.open.size);
    socket.once('close', () => this.forget(socket));
  }

  private refuse(socket: Socket): void {
    this.options.refused('too_many_connections');
    this.refused.add(socket);
    setTimeout(() => socket.destroy(), 1000).unref();
  }

  /** `address` null: of any address. */
  private oldestIdle(address: string | null): Socket | undefined {
    for (const [socket, tracked] of this.open)
      if (!tracked.busy && (address === null || tracked.address === address)) return socket;
    return undefined;
  }

  private forget(socket: Socket): void {
    const tracked = this.open.get(socket);
    if (!tracked) return;
    this.open.delete(socket);
    const left = (this.perAddress.get(tracked.address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(tracked.address, left);
    else this.perAddress.delete(tracked.address);
    this.options.onCount?.(this.open.size);
  }
}
