import type { Readable } from 'node:stream';
import type { LogLine } from '../domain/log-line.js';
import type { ContainerInspect } from './inspect.js';

/** A Docker engine event (GET /events), as Brig uses it. */
export interface DockerEvent {
  type: string; // container, network, image, …
  action: string; // pause, die, oom, health_status: unhealthy, …
  id: string;
  attributes: Record<string, string>;
  /** Unix nanoseconds: the resume point for `since` after a dropped stream. */
  timeNano: number;
}

export interface EventSubscription {
  /** Destroys the underlying stream. */
  close(): void;
}

export interface EventHandlers {
  onEvent(event: DockerEvent): void;
  /** The stream ended or failed; `error` is absent on a clean close(). */
  onEnd(error?: Error): void;
}

/** What answers on the socket: the port adapts to Podman's compat API where it differs. */
export type EngineKind = 'docker' | 'podman';

export interface EngineInfo {
  kind: EngineKind;
  version: string;
  apiVersion: string;
  os: string;
  cgroupVersion: string;
  cgroupDriver: string;
  /** Host memory in bytes (MemTotal). */
  memTotal: number;
}

export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  internal: boolean;
  options: Record<string, string>;
}

export interface CreateNetworkSpec {
  name: string;
  driver?: string;
  internal?: boolean;
  options?: Record<string, string>;
  labels?: Record<string, string>;
}

/** Endpoint settings for a connect, as the Engine API names them. */
export interface EndpointConfig {
  Aliases?: string[] | null;
  IPAMConfig?: Record<string, unknown> | null;
  Links?: string[] | null;
  DriverOpts?: Record<string, string> | null;
}

export interface LimitsUpdate {
  NanoCpus?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  PidsLimit?: number;
  Memory?: number;
  MemorySwap?: number;
}

/** One-shot stats (GET /containers/{id}/stats?stream=false&one-shot=true), the cgroup fallback. */
export interface StatsSample {
  cpuTotalNs: number;
  systemCpuNs: number;
  onlineCpus: number;
  memoryBytes: number;
  memoryLimit: number;
  pids: number;
  pidsLimit: number;
}

/** The raw Engine API create body (POST /containers/create), for tests, the demo and `brig harden`. */
export type CreateContainerSpec = { name?: string } & Record<string, unknown>;

/** GET /containers/{id}/top: `ps` columns and rows, as the engine ran them for this container. */
export interface ProcessList {
  titles: string[];
  processes: string[][];
}

/** Bounded logs (evidence, DESIGN §13): the last `tail` lines of both streams, at most `maxBytes` in all. */
export interface LogsOptions extends CallOptions {
  tail: number;
  maxBytes: number;
  timestamps: boolean;
  /** The container has a TTY: the stream is raw stdout, not multiplexed. */
  tty: boolean;
}

export interface LogsResult {
  stdout: Buffer;
  stderr: Buffer;
  /** Stopped at maxBytes: more was there. */
  truncated: boolean;
}

/** A followed log (the TUI's logs view): history of `tail` lines, then every new line until aborted. */
export interface FollowLogsPortOptions {
  tail: number;
  /** Only lines at or after this ISO time. */
  since?: string;
  /** Aborting closes the socket; onEnd then comes without an error. */
  signal: AbortSignal;
}

export interface LogFollowHandlers {
  /** Each line of either stream, in the order the engine sent them. */
  onLine(line: LogLine): void;
  /** Exactly once: the stream ended (container stopped, or aborted: no error) or failed. */
  onEnd(error?: Error): void;
}

/** GET /containers/{id}/changes, one entry per path. */
export interface FilesystemChange {
  path: string;
  kind: 'modified' | 'added' | 'deleted';
}

/** The X-Docker-Container-Path-Stat header of an archive answer (Go's os.FileMode bits in `mode`). */
export interface PathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface ArchiveOptions extends CallOptions {
  /** The tar stream errors (DockerError 'limit') once more than this many bytes have come. */
  maxBytes: number;
}

export interface ArchiveRead {
  stat: PathStat | undefined;
  /** The tar of the path; destroy it to stop reading early. */
  stream: Readable;
}

export interface CallOptions {
  /** Aborts the call (with the per-operation default timeout still in force). */
  signal?: AbortSignal;
}

/**
 * The only way Brig speaks to a Docker engine (DESIGN §2). Every container id must be 64 hex
 * digits: anything else is refused before a request path is built.
 */
export interface DockerPort {
  readonly host: string;
  ping(options?: CallOptions): Promise<void>;
  info(options?: CallOptions): Promise<EngineInfo>;
  /** Docker or Podman, from the /version components (asked once, then remembered). */
  engineKind(options?: CallOptions): Promise<EngineKind>;
  /** Ids of all containers, running or not. */
  listContainerIds(options?: CallOptions): Promise<string[]>;
  inspectContainer(id: string, options?: CallOptions): Promise<ContainerInspect>;
  createContainer(spec: CreateContainerSpec, options?: CallOptions): Promise<string>;
  removeContainer(id: string, options?: CallOptions): Promise<void>;
  start(id: string, options?: CallOptions): Promise<void>;
  pause(id: string, options?: CallOptions): Promise<void>;
  unpause(id: string, options?: CallOptions): Promise<void>;
  stop(id: string, timeoutSecs: number, options?: CallOptions): Promise<void>;
  kill(id: string, signal: string, options?: CallOptions): Promise<void>;
  restart(id: string, timeoutSecs: number, options?: CallOptions): Promise<void>;
  update(id: string, limits: LimitsUpdate, options?: CallOptions): Promise<void>;
  stats(id: string, options?: CallOptions): Promise<StatsSample>;
  listNetworks(options?: CallOptions): Promise<NetworkInfo[]>;
  inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkInfo>;
  /** Fails, and removes the network again, when the engine answers a `Warning` (it ignored part of the spec). */
  createNetwork(spec: CreateNetworkSpec, options?: CallOptions): Promise<string>;
  removeNetwork(idOrName: string, options?: CallOptions): Promise<void>;
  connect(
    network: string,
    containerId: string,
    endpoint?: EndpointConfig,
    options?: CallOptions,
  ): Promise<void>;
  disconnect(network: string, containerId: string, force?: boolean, options?: CallOptions): Promise<void>;
  /** Evidence (DESIGN §13): all of these read one container only and work on a paused one. */
  top(id: string, psArgs: string | undefined, options?: CallOptions): Promise<ProcessList>;
  logs(id: string, options: LogsOptions): Promise<LogsResult>;
  /** Follows both streams with timestamps (TTY containers too); never throws: errors reach onEnd. */
  followLogs(id: string, options: FollowLogsPortOptions, handlers: LogFollowHandlers): void;
  changes(id: string, options?: CallOptions): Promise<FilesystemChange[]>;
  archive(id: string, path: string, options: ArchiveOptions): Promise<ArchiveRead>;
  /** Events since `since` (unix seconds, fractional allowed) and onward, until close(). */
  events(
    handlers: EventHandlers,
    options?: { since?: number; filters?: Record<string, string[]> },
  ): EventSubscription;
}
