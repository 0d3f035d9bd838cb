import type { Container } from '../domain/container.js';
import type { ContainerEvent } from '../domain/container-event.js';
import type { EngineStatus } from '../domain/snapshot.js';
import type { DockerEvent, DockerPort, EventSubscription } from './docker-port.js';
import { ContainerEventRings, containerEventOf } from './container-events.js';
import { isDockerError } from './errors.js';
import { containerFromInspect, type ContainerInspect } from './inspect.js';

export interface InventoryListener {
  /** Something in the inventory changed (containers or engine status). */
  onChange(): void;
  /** Every Docker event, after the inventory applied it; `container` as now known (undefined once destroyed). */
  onEvent?(event: DockerEvent, container: Container | undefined, engine: string): void;
  /** A fresh inspect document, e.g. for the posture audit. */
  onInspect?(inspect: ContainerInspect, engine: string): void;
  onEngineStatus?(status: EngineStatus, previous: EngineStatus | undefined): void;
  /** One container could not be read; the inventory carries on without it. */
  onInspectError?(id: string, engine: string, error: Error): void;
}

const containerActions = new Set([
  'create',
  'start',
  'restart',
  'die',
  'stop',
  'kill',
  'pause',
  'unpause',
  'update',
  'rename',
  'oom',
  'health_status',
  'health_status: healthy',
  'health_status: unhealthy',
]);

const impliedState: Partial<Record<string, Container['state']>> = {
  pause: 'paused',
  unpause: 'running',
  start: 'running',
  die: 'exited',
};

interface EngineState {
  port: DockerPort;
  status: EngineStatus;
  subscription?: EventSubscription;
  /** Unix seconds (fractional) of the last event seen: the resume point after a dropped stream. */
  lastEventAt?: number;
  backoffMs: number;
  reconnectTimer?: NodeJS.Timeout;
}

/**
 * What containers exist on every watched engine: an initial list, then the events stream. A dropped
 * stream is resumed with `since` and reconciled with a full list (the daemon keeps only 256
 * events). An engine going down marks its containers stale instead of dropping them.
 */
export class Inventory {
  private readonly containersById = new Map<string, Container>();
  private readonly engines = new Map<string, EngineState>();
  private readonly pendingInspect = new Map<string, Promise<void>>();
  private readonly recentEvents: ContainerEventRings;
  private closed = false;

  constructor(
    ports: readonly DockerPort[],
    private readonly listener: InventoryListener,
    private readonly options: {
      maxBackoffMs?: number;
      baseBackoffMs?: number;
      /** Docker events kept per container, and how long after its removal. */
      eventsKept?: number;
      eventsGraceMs?: number;
    } = {},
  ) {
    this.recentEvents = new ContainerEventRings(options.eventsKept, options.eventsGraceMs);
    for (const port of ports) {
      this.engines.set(port.host, {
        port,
        status: { host: port.host, up: false },
        backoffMs: this.baseBackoff,
      });
    }
  }

  private get baseBackoff(): number {
    return this.options.baseBackoffMs ?? 500;
  }

  /** Subscribes and lists every engine; resolves when each has been tried once. */
  async start(): Promise<void> {
    await Promise.all([...this.engines.values()].map((engine) => this.connect(engine)));
  }

  containers(): Container[] {
    return [...this.containersById.values()];
  }

  get(id: string): Container | undefined {
    return this.containersById.get(id);
  }

  /**
   * A container's recent Docker events, oldest first, since Brig started: the same array until the
   * next event replaces it (never changed in place, so it can be shared).
   */
  events(id: string): ContainerEvent[] | undefined {
    return this.recentEvents.get(id);
  }

  engineStatuses(): EngineStatus[] {
    return [...this.engines.values()].map((e) => e.status);
  }

  port(engine: string): DockerPort | undefined {
    return this.engines.get(engine)?.port;
  }

  /** Re-inspect one container now (after an action), so the views see the result at once. */
  async refresh(id: string, engine: string): Promise<Container | undefined> {
    const state = this.engines.get(engine);
    if (state) await this.inspectInto(state, id);
    return this.containersById.get(id);
  }

  close(): void {
    this.closed = true;
    this.recentEvents.close();
    for (const engine of this.engines.values()) {
      clearTimeout(engine.reconnectTimer);
      engine.subscription?.close();
    }
  }

  private async connect(engine: EngineState): Promise<void> {
    if (this.closed) return;
    // Subscribe before listing, so nothing that happens during the list is missed.
    const since = engine.lastEventAt;
    engine.subscription = engine.port.events(
      {
        onEvent: (event) => this.onEvent(engine, event),
        onEnd: (error) => {
          if (error && !this.closed) this.engineDown(engine, error.message);
        },
      },
      since !== undefined ? { since } : {},
    );
    try {
      await this.reconcile(engine);
      engine.backoffMs = this.baseBackoff;
      this.setStatus(engine, { host: engine.port.host, up: true });
    } catch (error) {
      engine.subscription.close();
      this.engineDown(engine, (error as Error).message);
    }
  }

  private engineDown(engine: EngineState, message: string): void {
    if (this.closed || engine.reconnectTimer) return;
    engine.subscription?.close();
    for (const c of this.containersById.values()) {
      if (c.engine === engine.port.host && !c.stale) this.containersById.set(c.id, { ...c, stale: true });
    }
    this.setStatus(engine, { host: engine.port.host, up: false, error: message });
    const delay = engine.backoffMs;
    engine.backoffMs = Math.min(engine.backoffMs * 2, this.options.maxBackoffMs ?? 10_000);
    engine.reconnectTimer = setTimeout(() => {
      engine.reconnectTimer = undefined;
      void this.connect(engine);
    }, delay);
    engine.reconnectTimer.unref?.();
  }

  private setStatus(engine: EngineState, status: EngineStatus): void {
    const previous = engine.status;
    engine.status = status;
    if (previous.up !== status.up || previous.error !== status.error) {
      this.listener.onEngineStatus?.(status, previous);
      this.listener.onChange();
    }
  }

  /** A full list: add and refresh what exists, drop what is gone. */
  private async reconcile(engine: EngineState): Promise<void> {
    const ids = await engine.port.listContainerIds();
    const present = new Set(ids);
    for (const c of [...this.containersById.values()]) {
      if (c.engine === engine.port.host && !present.has(c.id)) this.forget(c.id);
    }
    await mapLimit(ids, 16, (id) => this.inspectInto(engine, id));
    this.listener.onChange();
  }

  private inspectInto(engine: EngineState, id: string): Promise<void> {
    // Coalesce a burst of events for one container into one inspect in flight.
    const pending = this.pendingInspect.get(id);
    if (pending) return pending;
    const run = (async () => {
      try {
        const info = await engine.port.inspectContainer(id);
        this.containersById.set(id, containerFromInspect(info, engine.port.host));
        this.listener.onInspect?.(info, engine.port.host);
      } catch (error) {
        if (isDockerError(error, 'not-found')) this.forget(id);
        // Only the engine being gone is the engine's failure. One container that cannot be read
        // (caught mid-creation or mid-removal, an answer that does not parse) keeps its last known
        // state and is read again at its next event; it never takes the whole engine down.
        else if (isDockerError(error, 'unreachable') || isDockerError(error, 'timeout')) throw error;
        else this.listener.onInspectError?.(id, engine.port.host, error as Error);
      } finally {
        this.pendingInspect.delete(id);
      }
    })();
    this.pendingInspect.set(id, run);
    return run;
  }

  /** A container that is gone: out of the list; its recent events follow after their grace. */
  private forget(id: string): void {
    this.containersById.delete(id);
    this.recentEvents.removed(id);
  }

  private onEvent(engine: EngineState, event: DockerEvent): void {
    engine.lastEventAt = event.timeNano / 1e9;
    const about = containerEventOf(event);
    const news = about !== undefined && this.recentEvents.add(about.id, about.entry, about.key);
    const done = () => {
      this.listener.onEvent?.(
        event,
        this.containersById.get(event.id) ?? this.containersById.get(event.attributes.container ?? ''),
        engine.port.host,
      );
      this.listener.onChange();
    };
    if (event.type === 'container') {
      if (event.action === 'destroy') {
        const gone = this.containersById.get(event.id);
        this.forget(event.id);
        this.listener.onEvent?.(event, gone, engine.port.host);
        this.listener.onChange();
        return;
      }
      if (containerActions.has(event.action) || event.action.startsWith('health_status')) {
        // The state an event implies is known at once; the inspect that follows fills in the rest.
        const implied = impliedState[event.action];
        const known = this.containersById.get(event.id);
        if (implied && known) this.containersById.set(event.id, { ...known, state: implied });
        this.inspectInto(engine, event.id).then(done, () => done());
        return;
      }
    } else if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
      const id = event.attributes.container;
      if (id) {
        this.inspectInto(engine, id).then(done, () => done());
        return;
      }
    }
    this.listener.onEvent?.(event, undefined, engine.port.host);
    // An event that changes nothing listed (exec, attach, …) is still news for the timeline.
    if (news) this.listener.onChange();
  }
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}
