import { createHash } from 'node:crypto';
import type { ActionRecord } from '../../source/domain/action-record.js';
import type { Alert } from '../../source/domain/alert.js';
import type {
  AlertView,
  CommandResult,
  ContainerView,
  EngineCommand,
  EngineHandle,
  EngineSnapshot,
  InspectResult,
  PolicySummary,
  QueueItem,
} from '../../source/domain/snapshot.js';
import { emptySnapshot as emptyEngineSnapshot } from '../../source/domain/empty-snapshot.js';
import type { FollowLogsOptions, LogEvent, LogLine } from '../../source/domain/log-line.js';

/** One followLogs call on the fake: what was asked, and whether the view has stopped it. */
export interface FakeFollow {
  container: string;
  options: FollowLogsOptions;
  listener: (event: LogEvent) => void;
  stopped: boolean;
  /** endLogs ended it: like the engine's, it sends nothing more. */
  ended: boolean;
}

/** A 64-hex container id derived from a name, so fixtures are stable. */
export function idFor(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function container(name: string, overrides: Partial<ContainerView> = {}): ContainerView {
  return {
    id: idFor(name),
    name,
    image: 'brig-test/busybox:latest',
    state: 'running',
    labels: {},
    engine: 'unix:///tmp/fake.sock',
    pid: 100,
    networkMode: 'bridge',
    networks: [
      {
        network: 'bridge',
        networkId: 'n1',
        aliases: null,
        ipamConfig: null,
        links: null,
        driverOpts: null,
        ipAddress: '172.17.0.2',
      },
    ],
    limits: { nanoCpus: 0, cpuQuota: 0, cpuPeriod: 0, pidsLimit: 200, memory: 0, memorySwap: 0 },
    restartCount: 0,
    stale: false,
    stats: {
      cpuPercent: 1.5,
      memoryBytes: 4 * 1024 * 1024,
      pids: 3,
      cpuHistory: [1, 2, 3],
      pidsHistory: [3, 3, 3],
    },
    ...overrides,
  };
}

export function alert(id: string, overrides: Partial<Alert> = {}): Alert {
  return {
    id,
    time: '2026-11-22T14:02:09.000Z',
    source: 'falco',
    rule: 'fork_storm',
    severity: 'High',
    container: { name: 'web-1' },
    message: 'too many processes',
    fields: { 'proc.name': 'sh' },
    ...overrides,
  };
}

export function alertView(
  a: Alert,
  target: ContainerView | null,
  overrides: Partial<AlertView> = {},
): AlertView {
  return {
    alert: a,
    decisions: [
      {
        alert: a.id,
        policy: 'fork-storm-pause',
        container: target ? { id: target.id, name: target.name } : null,
        action: { kind: 'pause' },
        verdict: 'disarmed',
        reason: 'auto-isolate is off',
      },
    ],
    trace: [{ policy: 'fork-storm-pause', outcome: 'decided', reason: 'rule fork_storm* matched' }],
    ...overrides,
  };
}

export function policy(id: string, overrides: Partial<PolicySummary> = {}): PolicySummary {
  return {
    id,
    name: id,
    file: `policies/${id}.toml`,
    priority: 10,
    severityThreshold: 'High',
    rules: ['fork_storm*'],
    enabled: true,
    mode: 'enforce',
    action: 'pause',
    ...overrides,
  };
}

export function actionRecord(target: ContainerView, overrides: Partial<ActionRecord> = {}): ActionRecord {
  return {
    id: `act-${target.name}`,
    alert: 'a1',
    policy: 'fork-storm-pause',
    container: { id: target.id, name: target.name },
    engine: target.engine,
    action: 'pause',
    result: 'ok',
    attempts: 1,
    latency_ms: 84,
    origin: 'policy',
    ts: '2026-11-22T14:02:10.000Z',
    ...overrides,
  };
}

export function queueItem(
  id: string,
  a: Alert,
  target: ContainerView,
  overrides: Partial<QueueItem> = {},
): QueueItem {
  return {
    id,
    kind: 'approval',
    alert: a,
    decision: {
      alert: a.id,
      policy: 'fork-storm-pause',
      container: { id: target.id, name: target.name },
      action: { kind: 'pause' },
      verdict: 'disarmed',
      reason: 'auto-isolate is off',
    },
    ...overrides,
  };
}

export function emptySnapshot(overrides: Partial<EngineSnapshot> = {}): EngineSnapshot {
  return emptyEngineSnapshot({ engines: [{ host: 'unix:///tmp/fake.sock', up: true }], ...overrides });
}

/**
 * A small in-memory EngineHandle: publishes snapshots you set, records every command it receives,
 * and answers them with `reply` (default ok). arm/disarm/set-dry-run also change the snapshot, like
 * the real engine would.
 */
export class FakeEngine implements EngineHandle {
  readonly commands: EngineCommand[] = [];
  private listeners = new Set<() => void>();
  reply: (command: EngineCommand) => CommandResult = (command) => ({
    ok: true,
    message: `${command.type} done`,
  });

  /** Containers asked for with inspectContainer, in order. */
  readonly inspected: string[] = [];
  /**
   * What inspectContainer answers: by default a small document for a container in the snapshot
   * (by id or name), or not-found. A rejection here shows how the view copes with a broken handle.
   */
  inspectReply: (container: string) => Promise<InspectResult> = async (ref) => {
    const c = this.snapshot.containers.find((x) => x.id === ref || x.name === ref);
    if (!c) return { ok: false, message: `no container ${ref} in the inventory` };
    return { ok: true, engine: c.engine, inspect: fakeInspect(c) };
  };

  constructor(private snapshot: EngineSnapshot = emptySnapshot()) {}

  inspectContainer = (container: string): Promise<InspectResult> => {
    this.inspected.push(container);
    return this.inspectReply(container);
  };

  getSnapshot = (): EngineSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  send = async (command: EngineCommand): Promise<CommandResult> => {
    this.commands.push(command);
    if (command.type === 'arm') this.update({ armed: true });
    if (command.type === 'disarm') this.update({ armed: false });
    if (command.type === 'set-dry-run') this.update({ dryRun: command.on });
    return this.reply(command);
  };

  /** Every followLogs call, oldest first; push lines into them with pushLog. */
  readonly follows: FakeFollow[] = [];

  followLogs = (
    container: string,
    options: FollowLogsOptions,
    listener: (event: LogEvent) => void,
  ): (() => void) => {
    const follow: FakeFollow = { container, options, listener, stopped: false, ended: false };
    this.follows.push(follow);
    return () => {
      follow.stopped = true;
    };
  };

  /** Sends lines to every follow of `container` (id or name) the view has not stopped. */
  pushLog(container: string, ...lines: LogLine[]): void {
    for (const follow of this.follows)
      if (follow.container === container && !follow.stopped && !follow.ended)
        for (const line of lines) follow.listener({ type: 'line', line });
  }

  /** Ends the live follows of `container` with a message, as the engine does when the stream ends. */
  endLogs(container: string, message: string, error = false): void {
    for (const follow of this.follows)
      if (follow.container === container && !follow.stopped && !follow.ended) {
        follow.ended = true;
        follow.listener({ type: 'end', message, error });
      }
  }

  update(change: Partial<EngineSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of [...this.listeners]) listener();
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}

/** An inspect document shaped like Docker's, from a fixture container (sections as the real one has). */
export function fakeInspect(c: ContainerView): Record<string, unknown> {
  return {
    Id: c.id,
    Created: '2026-11-22T14:00:00.000000000Z',
    Path: 'sh',
    Args: ['-c', 'sleep 3600'],
    State: {
      Status: c.state,
      Running: c.state === 'running',
      Paused: c.state === 'paused',
      Pid: c.pid,
      ExitCode: 0,
      StartedAt: '2026-11-22T14:00:01.000000000Z',
    },
    Image: 'sha256:' + 'a'.repeat(64),
    Name: '/' + c.name,
    RestartCount: c.restartCount,
    HostConfig: { NetworkMode: c.networkMode, PidsLimit: c.limits.pidsLimit, Memory: c.limits.memory },
    Config: {
      Image: c.image,
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'MODE=test'],
      Cmd: ['sh', '-c', 'sleep 3600'],
      Labels: c.labels,
    },
    Mounts: [],
    NetworkSettings: {
      Networks: Object.fromEntries(
        c.networks.map((n) => [n.network, { NetworkID: n.networkId, IPAddress: n.ipAddress ?? '' }]),
      ),
    },
  };
}
