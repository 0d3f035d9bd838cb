import { containerEventsKept, type ContainerEvent } from '../domain/container-event.js';
import type { DockerEvent } from './docker-port.js';

/** The container a Docker event is about and the timeline's entry for it (undefined: none). */
export function containerEventOf(
  event: DockerEvent,
): { id: string; entry: ContainerEvent; key: string } | undefined {
  const found = aboutContainer(event);
  // The engine's nanosecond time and the action tell one event from another: a stream resumed with
  // `since` (which the engine takes as inclusive) hands over again events already seen.
  return found && { ...found, key: `${event.timeNano} ${event.type} ${event.action}` };
}

function aboutContainer(event: DockerEvent): { id: string; entry: ContainerEvent } | undefined {
  const time = new Date(Math.floor(event.timeNano / 1e6)).toISOString();
  const a = event.attributes;
  if (event.type === 'container') {
    if (!event.id) return undefined;
    const health = /^health_status: ?(.*)$/.exec(event.action);
    if (health) return { id: event.id, entry: entry(time, 'health_status', health[1]) };
    return { id: event.id, entry: entry(time, event.action, detailOf(event.action, a)) };
  }
  if (event.type === 'network' && (event.action === 'connect' || event.action === 'disconnect')) {
    if (!a.container) return undefined;
    // Docker names the network in `name`; Podman's event names only the container.
    return { id: a.container, entry: entry(time, `network ${event.action}`, a.name) };
  }
  return undefined;
}

function detailOf(action: string, a: Record<string, string>): string | undefined {
  switch (action) {
    case 'die':
    case 'exec_die':
      return a.exitCode !== undefined ? `exit code ${a.exitCode}` : undefined;
    case 'kill':
      return a.signal !== undefined ? `signal ${a.signal}` : undefined;
    case 'create':
      return a.image ? `image ${a.image}` : undefined;
    case 'rename':
      return a.oldName ? `was ${a.oldName.replace(/^\//, '')}` : undefined;
    default:
      return undefined;
  }
}

const isExec = (event: ContainerEvent) => event.action.startsWith('exec_');

function entry(time: string, action: string, detail: string | undefined): ContainerEvent {
  return detail ? { time, action, detail } : { time, action };
}

/**
 * Recent Docker events per container, since Brig started watching (the daemon keeps no history
 * worth asking for). Each ring is an immutable array replaced on every event, so a snapshot can
 * hold it by reference: building one copies nothing when nothing happened.
 */
export class ContainerEventRings {
  private readonly rings = new Map<string, ContainerEvent[]>();
  /** Parallel to each ring: the keys of its events, so a replayed event is not kept twice. */
  private readonly keys = new Map<string, string[]>();
  private readonly dropTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly keep = containerEventsKept,
    /** A removed container's events stay this long, so its last moments can still be read. */
    private readonly graceMs = 60_000,
    private readonly keepExecs = Math.max(1, Math.floor(keep / 5)),
  ) {}

  /** False when the ring already holds the event with this key (a replay): nothing changes then. */
  add(id: string, event: ContainerEvent, key?: string): boolean {
    let keys = this.keys.get(id) ?? [];
    if (key !== undefined && keys.includes(key)) return false;
    let ring = this.rings.get(id) ?? [];
    // A health check runs an exec every interval (exec_create, exec_start, exec_die): execs keep a
    // share of the ring of their own, so they never push out the pause or the die that matter.
    if (isExec(event) && ring.filter(isExec).length >= this.keepExecs) {
      const oldest = ring.findIndex(isExec);
      ring = ring.filter((_, i) => i !== oldest);
      keys = keys.filter((_, i) => i !== oldest);
    }
    const drop = Math.max(0, ring.length + 1 - this.keep);
    this.rings.set(id, [...ring.slice(drop), event]);
    this.keys.set(id, [...keys.slice(drop), key ?? '']);
    return true;
  }

  get(id: string): ContainerEvent[] | undefined {
    return this.rings.get(id);
  }

  /** The container is gone: its ring goes after the grace (at once with no grace). */
  removed(id: string): void {
    if (!this.rings.has(id) || this.dropTimers.has(id)) return;
    if (this.graceMs <= 0) {
      this.drop(id);
      return;
    }
    const timer = setTimeout(() => {
      this.dropTimers.delete(id);
      this.drop(id);
    }, this.graceMs);
    timer.unref?.();
    this.dropTimers.set(id, timer);
  }

  private drop(id: string): void {
    this.rings.delete(id);
    this.keys.delete(id);
  }

  get size(): number {
    return this.rings.size;
  }

  close(): void {
    for (const timer of this.dropTimers.values()) clearTimeout(timer);
    this.dropTimers.clear();
  }
}
