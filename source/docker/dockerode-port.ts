import Docker from 'dockerode';
import { Transform, type Readable } from 'node:stream';
import { LineSplitter } from '../util/line-splitter.js';
import type {
  ArchiveOptions,
  ArchiveRead,
  CallOptions,
  CreateContainerSpec,
  CreateNetworkSpec,
  DockerEvent,
  DockerPort,
  EndpointConfig,
  EngineInfo,
  EngineKind,
  EventHandlers,
  EventSubscription,
  FilesystemChange,
  FollowLogsPortOptions,
  LogFollowHandlers,
  LogsOptions,
  LogsResult,
  PathStat,
  ProcessList,
  LimitsUpdate,
  NetworkInfo,
  StatsSample,
} from './docker-port.js';
import { parseDockerHost } from './engine-host.js';
import { DockerError, toDockerError } from './errors.js';
import { ContainerInspectSchema, inEngineOrder, type ContainerInspect } from './inspect.js';
import { containerIdPattern } from '../domain/container.js';
import { parseEventLine } from './event-shape.js';
import { overlayLiveLimits, type HostLimits } from './live-limits.js';
import { engineKindOf, inlineSeccompToFiles, podmanResources, podmanTmpfs } from './podman-compat.js';
import { LogDemuxer } from './log-demux.js';
import { LogLineReader } from './log-lines.js';

const networkRef = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Per-operation timeouts: quick calls are quick; stop/restart wait the grace period plus slack. */
const quickMs = 10_000;
const slackMs = 5_000;

/**
 * The Docker port over dockerode. The client is created without a global `timeout` (it would also
 * kill the idle events stream); each call gets an AbortSignal sized to the operation instead. No API
 * version is pinned: the engine's own is used.
 */
export class DockerodePort implements DockerPort {
  readonly host: string;
  private readonly docker: Docker;
  /** Asked once; a failed ask is asked again next time. */
  private kind: Promise<EngineKind> | undefined;

  constructor(host: string, env: NodeJS.ProcessEnv = process.env) {
    const connection = parseDockerHost(host, env);
    this.host = connection.host;
    this.docker =
      connection.kind === 'socket'
        ? new Docker({ socketPath: connection.socketPath })
        : new Docker({
            host: connection.hostname,
            port: connection.port,
            protocol: connection.protocol,
            ca: connection.ca,
            cert: connection.cert,
            key: connection.key,
          });
  }

  private checkId(id: string): string {
    if (!containerIdPattern.test(id)) {
      throw new DockerError(
        'invalid',
        this.host,
        `refused: container id ${JSON.stringify(id.slice(0, 80))} is not 64 hex digits`,
      );
    }
    return id;
  }

  private checkNetwork(ref: string): string {
    if (!networkRef.test(ref)) {
      throw new DockerError(
        'invalid',
        this.host,
        `refused: network ${JSON.stringify(ref.slice(0, 80))} is not a valid name or id`,
      );
    }
    return ref;
  }

  private async call<T>(
    what: string,
    ms: number,
    options: CallOptions | undefined,
    run: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    // The caller's signal (an action's deadline, shutdown) and the call's own bound, whichever is first.
    const signal = options?.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(ms)])
      : AbortSignal.timeout(ms);
    try {
      return await run(signal);
    } catch (error) {
      throw toDockerError(error, this.host, what);
    }
  }

  private container(id: string) {
    return this.docker.getContainer(this.checkId(id));
  }

  async ping(options?: CallOptions): Promise<void> {
    await this.call('ping', 5_000, options, (abortSignal) =>
      (this.docker.ping as (o: object) => Promise<unknown>)({ abortSignal }),
    );
  }

  async info(options?: CallOptions): Promise<EngineInfo> {
    const info = await this.call('info', quickMs, options, (abortSignal) =>
      (this.docker.info as (o: object) => Promise<Record<string, unknown>>)({ abortSignal }),
    );
    return {
      kind: await this.engineKind(options),
      version: String(info.ServerVersion ?? ''),
      apiVersion: '',
      os: String(info.OperatingSystem ?? ''),
      cgroupVersion: String(info.CgroupVersion ?? ''),
      cgroupDriver: String(info.CgroupDriver ?? ''),
      memTotal: Number(info.MemTotal ?? 0),
    };
  }

  engineKind(options?: CallOptions): Promise<EngineKind> {
    this.kind ??= this.call('version', quickMs, options, (abortSignal) =>
      (this.docker.version as unknown as (o: object) => Promise<Record<string, unknown>>)({ abortSignal }),
    ).then(engineKindOf, (error: unknown) => {
      this.kind = undefined;
      throw error;
    });
    return this.kind;
  }

  /** A raw request for what dockerode has no call for (Podman's libpod routes). */
  private dial(
    path: string,
    method: string,
    body: unknown,
    statusCodes: Record<number, boolean | string>,
    abortSignal: AbortSignal,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.docker.modem.dial(
        { path, method, options: body, statusCodes, abortSignal } as Parameters<
          typeof this.docker.modem.dial
        >[0],
        (error: unknown, data: unknown) => (error ? reject(error) : resolve(data)),
      );
    });
  }

  async listContainerIds(options?: CallOptions): Promise<string[]> {
    const list = await this.call('list containers', quickMs, options, (abortSignal) =>
      this.docker.listContainers({ all: true, abortSignal }),
    );
    return list.map((c) => c.Id);
  }

  async inspectContainer(id: string, options?: CallOptions): Promise<ContainerInspect> {
    const c = this.container(id);
    const raw = (await this.call(`inspect ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      c.inspect({ abortSignal }),
    )) as unknown as { HostConfig?: HostLimits; State?: { Pid?: number } };
    // Podman's inspect shows the limits a container was created with, not those an update set:
    // on a local engine the ones in force are read from its cgroup.
    if (raw.HostConfig && this.host.startsWith('unix://') && (await this.engineKind(options)) === 'podman')
      raw.HostConfig = { ...raw.HostConfig, ...overlayLiveLimits(raw.HostConfig, raw.State?.Pid ?? 0, id) };
    return inEngineOrder(ContainerInspectSchema.parse(raw), raw);
  }

  async createContainer(spec: CreateContainerSpec, options?: CallOptions): Promise<string> {
    const what = `create ${spec.name ?? 'container'}`;
    // Podman reads `seccomp=` as a file path on the engine host: an inline profile goes through a
    // file it reads (so only for a local engine).
    const podman = (await this.engineKind(options)) === 'podman';
    const adapted = podman ? await inlineSeccompToFiles(podmanTmpfs(spec, this.host), this.host) : spec;
    const created = await this.call(what, 60_000, options, (abortSignal) =>
      this.docker.createContainer({ ...adapted, abortSignal } as Docker.ContainerCreateOptions),
    );
    return created.id;
  }

  async removeContainer(id: string, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`remove ${id.slice(0, 12)}`, 30_000, options, (abortSignal) =>
      c.remove({ force: true, v: true, abortSignal }),
    );
  }

  async start(id: string, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`start ${id.slice(0, 12)}`, 30_000, options, (abortSignal) => c.start({ abortSignal }));
  }

  async pause(id: string, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`pause ${id.slice(0, 12)}`, quickMs, options, (abortSignal) => c.pause({ abortSignal }));
  }

  async unpause(id: string, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`unpause ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      c.unpause({ abortSignal }),
    );
  }

  async stop(id: string, timeoutSecs: number, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`stop ${id.slice(0, 12)}`, timeoutSecs * 1000 + slackMs, options, (abortSignal) =>
      c.stop({ t: timeoutSecs, abortSignal }),
    );
  }

  async kill(id: string, signal: string, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(`kill ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      c.kill({ signal, abortSignal }),
    );
  }

  async restart(id: string, timeoutSecs: number, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    await this.call(
      `restart ${id.slice(0, 12)}`,
      timeoutSecs * 1000 + slackMs + quickMs,
      options,
      (abortSignal) => c.restart({ t: timeoutSecs, abortSignal }),
    );
  }

  async update(id: string, limits: LimitsUpdate, options?: CallOptions): Promise<void> {
    const c = this.container(id);
    const what = `update ${id.slice(0, 12)}`;
    if ((await this.engineKind(options)) === 'podman') {
      // Podman 4.3 has no compat update route (404); its libpod one takes OCI resources and
      // changes the running cgroup only (inspect keeps the old values; a restart drops them).
      await this.call(what, quickMs, options, (abortSignal) =>
        this.dial(
          `/v4.0.0/libpod/containers/${id}/update`,
          'POST',
          podmanResources(limits),
          { 200: true, 201: true, 204: true, 404: 'no such container', 500: 'server error' },
          abortSignal,
        ),
      );
      return;
    }
    await this.call(what, quickMs, options, (abortSignal) => c.update({ ...limits, abortSignal }));
  }

  async stats(id: string, options?: CallOptions): Promise<StatsSample> {
    const c = this.container(id);
    const s = (await this.call(`stats ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      c.stats({ stream: false, 'one-shot': true, abortSignal } as unknown as { stream: false }),
    )) as unknown as RawStats;
    return {
      cpuTotalNs: s.cpu_stats?.cpu_usage?.total_usage ?? 0,
      systemCpuNs: s.cpu_stats?.system_cpu_usage ?? 0,
      onlineCpus: s.cpu_stats?.online_cpus ?? 1,
      memoryBytes: s.memory_stats?.usage ?? 0,
      memoryLimit: s.memory_stats?.limit ?? 0,
      pids: s.pids_stats?.current ?? 0,
      // Podman's stats carry no pids limit: the container's own says it.
      pidsLimit: s.pids_stats?.limit ?? (await this.inspectContainer(id, options)).HostConfig.PidsLimit ?? 0,
    };
  }

  async listNetworks(options?: CallOptions): Promise<NetworkInfo[]> {
    const list = await this.call('list networks', quickMs, options, (abortSignal) =>
      this.docker.listNetworks({ abortSignal }),
    );
    return list.map(toNetworkInfo);
  }

  async inspectNetwork(idOrName: string, options?: CallOptions): Promise<NetworkInfo> {
    const n = this.docker.getNetwork(this.checkNetwork(idOrName));
    const raw = await this.call(`inspect network ${idOrName}`, quickMs, options, (abortSignal) =>
      (n.inspect as (o: object) => Promise<unknown>)({ abortSignal }),
    );
    return toNetworkInfo(raw as RawNetwork);
  }

  async createNetwork(spec: CreateNetworkSpec, options?: CallOptions): Promise<string> {
    this.checkNetwork(spec.name);
    const what = `create network ${spec.name}`;
    const created = (await this.call(what, quickMs, options, (abortSignal) =>
      this.dial(
        '/networks/create',
        'POST',
        {
          Name: spec.name,
          Driver: spec.driver ?? 'bridge',
          Internal: spec.internal ?? false,
          CheckDuplicate: true,
          Options: spec.options ?? {},
          Labels: spec.labels ?? {},
        },
        {
          200: true,
          201: true,
          400: 'bad parameter',
          403: 'forbidden',
          404: 'not found',
          409: 'conflict',
          500: 'server error',
        },
        abortSignal,
      ),
    )) as { Id?: string; Warning?: string };
    const id = String(created.Id ?? '');
    // A warning means the engine created something other than what was asked (Podman ignores
    // options it does not know): never use it as if it were what was asked.
    const warning = (created.Warning ?? '').trim();
    if (warning) {
      await this.removeNetwork(id || spec.name).catch(() => undefined);
      throw new DockerError(
        'invalid',
        this.host,
        `${what}: the engine warned "${warning}"; network removed again`,
      );
    }
    return id;
  }

  async removeNetwork(idOrName: string, options?: CallOptions): Promise<void> {
    const n = this.docker.getNetwork(this.checkNetwork(idOrName));
    await this.call(`remove network ${idOrName}`, quickMs, options, (abortSignal) =>
      n.remove({ abortSignal }),
    );
  }

  async connect(
    network: string,
    id: string,
    endpoint?: EndpointConfig,
    options?: CallOptions,
  ): Promise<void> {
    const n = this.docker.getNetwork(this.checkNetwork(network));
    const Container = this.checkId(id);
    await this.call(`connect ${id.slice(0, 12)} to ${network}`, quickMs, options, (abortSignal) =>
      n.connect({
        Container,
        EndpointConfig: (endpoint ?? {}) as Docker.EndpointSettings,
        abortSignal,
      } as Docker.NetworkConnectOptions),
    );
  }

  async disconnect(network: string, id: string, force = false, options?: CallOptions): Promise<void> {
    const n = this.docker.getNetwork(this.checkNetwork(network));
    const Container = this.checkId(id);
    await this.call(`disconnect ${id.slice(0, 12)} from ${network}`, quickMs, options, (abortSignal) =>
      n.disconnect({ Container, Force: force, abortSignal }),
    );
  }

  /**
   * Podman 4.3 sends no `oom` event, only `died`: its inspect says whether the OOM killer did it,
   * and then the `oom` Docker would have sent follows the die.
   */
  private oomAfterDie(event: DockerEvent, handlers: EventHandlers): void {
    void this.engineKind()
      .then(async (kind) => {
        if (kind !== 'podman' || !containerIdPattern.test(event.id)) return;
        const raw = await this.inspectContainer(event.id);
        if ((raw.State as { OOMKilled?: boolean }).OOMKilled === true)
          handlers.onEvent({ ...event, action: 'oom', timeNano: event.timeNano });
      })
      .catch(() => undefined);
  }

  async top(id: string, psArgs: string | undefined, options?: CallOptions): Promise<ProcessList> {
    const c = this.container(id);
    const raw = (await this.call(`top ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      c.top({ ...(psArgs ? { ps_args: psArgs } : {}), abortSignal }),
    )) as { Titles?: string[] | null; Processes?: string[][] | null };
    return { titles: raw.Titles ?? [], processes: raw.Processes ?? [] };
  }

  async logs(id: string, options: LogsOptions): Promise<LogsResult> {
    this.checkId(id);
    const tail = Math.max(0, Math.floor(options.tail));
    const stream = await this.call(`logs ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      this.dialRaw<Readable>({
        path: `/containers/${id}/logs?`,
        method: 'GET',
        abortSignal,
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: {
          stdout: true,
          stderr: true,
          timestamps: options.timestamps,
          tail: String(tail),
          follow: false,
        },
      }),
    );
    const demux = new LogDemuxer(options.maxBytes, options.tty);
    try {
      for await (const chunk of stream) {
        if (!demux.push(chunk as Buffer)) break;
      }
    } catch (error) {
      throw toDockerError(error, this.host, `logs ${id.slice(0, 12)}`);
    } finally {
      stream.destroy();
    }
    return demux.result();
  }

  followLogs(id: string, options: FollowLogsPortOptions, handlers: LogFollowHandlers): void {
    const what = `follow logs ${id.slice(0, 12)}`;
    const { signal } = options;
    let stream: Readable | undefined;
    let reader: LogLineReader | undefined;
    let ended = false;
    const end = (error?: unknown) => {
      if (ended) return;
      // A last line without its newline still counts: flushed before onLine is shut.
      reader?.end();
      ended = true;
      signal.removeEventListener('abort', onAbort);
      clearTimeout(answerTimer);
      stream?.destroy();
      // An abort is the caller's own stop, whatever the socket said as it closed.
      handlers.onEnd(
        error === undefined || signal.aborted ? undefined : toDockerError(error, this.host, what),
      );
    };
    const onAbort = () => end();
    // The stream itself may stay quiet for hours; only the engine's answer to the request is timed.
    const answerTimer = setTimeout(
      () => end(new DockerError('timeout', this.host, `${what}: timed out`)),
      quickMs,
    );
    try {
      this.checkId(id);
    } catch (error) {
      queueMicrotask(() => end(error));
      return;
    }
    if (signal.aborted) {
      queueMicrotask(() => end());
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    void (async () => {
      // A TTY container's stream is raw, not multiplexed: the reader must know which it gets.
      const tty = (await this.inspectContainer(id, { signal })).Config.Tty === true;
      const query: Record<string, unknown> = {
        stdout: true,
        stderr: true,
        timestamps: true,
        follow: true,
        tail: String(Math.max(0, Math.floor(options.tail))),
      };
      if (options.since !== undefined) {
        const since = Date.parse(options.since);
        if (!Number.isFinite(since))
          throw new DockerError(
            'invalid',
            this.host,
            `${what}: since ${JSON.stringify(options.since)} is not a time`,
          );
        query.since = String(Math.floor(since / 1000));
      }
      const s = await this.dialRaw<Readable>({
        path: `/containers/${id}/logs?`,
        method: 'GET',
        abortSignal: signal,
        isStream: true,
        statusCodes: { 200: true, 404: 'no such container', 500: 'server error' },
        options: query,
      });
      stream = s;
      if (ended) {
        s.destroy();
        return;
      }
      clearTimeout(answerTimer);
      const lines = new LogLineReader(tty, (line) => {
        if (!ended) handlers.onLine(line);
      });
      reader = lines;
      s.on('data', (chunk: Buffer) => lines.push(chunk));
      s.on('error', (error) => end(error));
      s.on('end', () => end());
      s.on('close', () => end());
    })().catch((error: unknown) => end(error));
  }

  async changes(id: string, options?: CallOptions): Promise<FilesystemChange[]> {
    const c = this.container(id);
    const raw = (await this.call(`changes ${id.slice(0, 12)}`, quickMs, options, (abortSignal) =>
      (c.changes as (o: object) => Promise<unknown>)({ abortSignal }),
    )) as { Path: string; Kind: number }[] | null;
    const kinds = ['modified', 'added', 'deleted'] as const;
    return (raw ?? []).map((ch) => ({ path: ch.Path, kind: kinds[ch.Kind] ?? 'modified' }));
  }

  async archive(id: string, path: string, options: ArchiveOptions): Promise<ArchiveRead> {
    const c = this.container(id);
    if (!path.startsWith('/') || path.includes('\0') || path.length > 4096) {
      throw new DockerError(
        'invalid',
        this.host,
        `refused: archive path ${JSON.stringify(path.slice(0, 80))}`,
      );
    }
    const what = `archive ${id.slice(0, 12)} ${path.slice(0, 200)}`;
    const res = (await this.call(what, quickMs, options, (abortSignal) =>
      c.getArchive({ path, abortSignal } as { path: string }),
    )) as unknown as Readable & { headers?: Record<string, string | undefined> };
    let seen = 0;
    const host = this.host;
    // Stop at the limit: the engine would otherwise stream a whole directory tree.
    const bounded = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > options.maxBytes) {
          res.destroy();
          done(new DockerError('limit', host, `${what}: more than ${options.maxBytes} bytes`));
          return;
        }
        done(null, chunk);
      },
    });
    res.on('error', (error) => bounded.destroy(toDockerError(error, host, what)));
    bounded.on('close', () => res.destroy());
    res.pipe(bounded);
    return { stat: parsePathStat(res.headers?.['x-docker-container-path-stat']), stream: bounded };
  }

  /** A raw request with dockerode's own options (streams): the evidence reads. */
  private dialRaw<T>(options: object): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      (this.docker.modem as unknown as { dial(o: object, cb: (e: unknown, d: T) => void): void }).dial(
        options,
        (error, data) => (error ? reject(error as Error) : resolve(data)),
      );
    });
  }

  events(
    handlers: EventHandlers,
    options: { since?: number; filters?: Record<string, string[]> } = {},
  ): EventSubscription {
    let stream: Readable | undefined;
    let closed = false;
    let ended = false;
    const end = (error?: Error) => {
      if (ended) return;
      ended = true;
      handlers.onEnd(
        closed ? undefined : (error ?? new DockerError('unreachable', this.host, 'events stream ended')),
      );
    };
    // The stream is NDJSON, but one chunk can hold half an event: parse by lines.
    const splitter = new LineSplitter({
      onLine: (line) => {
        const event = parseEventLine(line);
        if (!event) return;
        handlers.onEvent(event);
        if (event.type === 'container' && event.action === 'die') this.oomAfterDie(event, handlers);
      },
    });
    const query: Record<string, unknown> = {};
    if (options.since !== undefined) query.since = options.since.toFixed(9);
    if (options.filters) query.filters = JSON.stringify(options.filters);
    this.docker.getEvents(query, (error, s) => {
      if (error || !s) {
        end(toDockerError(error, this.host, 'events'));
        return;
      }
      stream = s as Readable;
      if (closed) {
        stream.destroy();
        return;
      }
      stream.on('data', (chunk: Buffer) => splitter.push(chunk));
      stream.on('error', (e) => end(toDockerError(e, this.host, 'events')));
      stream.on('close', () => end());
      stream.on('end', () => end());
    });
    return {
      close: () => {
        closed = true;
        stream?.destroy();
        end();
      },
    };
  }
}

interface RawStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number; online_cpus?: number };
  memory_stats?: { usage?: number; limit?: number };
  pids_stats?: { current?: number; limit?: number };
}

interface RawNetwork {
  Id: string;
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Options?: Record<string, string> | null;
}

function toNetworkInfo(n: RawNetwork): NetworkInfo {
  return {
    id: n.Id,
    name: n.Name,
    driver: n.Driver ?? '',
    internal: n.Internal ?? false,
    options: n.Options ?? {},
  };
}

function parsePathStat(header: string | undefined): PathStat | undefined {
  if (!header) return undefined;
  try {
    const raw = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as Partial<PathStat>;
    return {
      name: String(raw.name ?? ''),
      size: Number(raw.size ?? 0),
      mode: Number(raw.mode ?? 0),
      mtime: String(raw.mtime ?? ''),
      linkTarget: String(raw.linkTarget ?? ''),
    };
  } catch {
    return undefined;
  }
}
