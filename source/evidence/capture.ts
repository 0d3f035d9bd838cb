import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pLimit from 'p-limit';
import type { Alert } from '../domain/alert.js';
import type { Target } from '../domain/decision.js';
import type { DockerPort, EngineInfo } from '../docker/docker-port.js';
import type { ContainerInspect } from '../docker/inspect.js';
import { archiveChanges } from './archive-files.js';
import { BundleWriter } from './bundle-writer.js';
import { bundleName, defaultEvidenceRoot } from './evidence-dir.js';
import { CaptureLimitsSchema, type CaptureLimitsInput } from './limits.js';
import { brigVersion, manifestFile, manifestFormat, sha256, type Manifest } from './manifest.js';

/** What caused a capture: kept in the bundle as alert.json and decision.json. */
export interface CaptureContext {
  /** The alert's trace id; absent for an operator's capture (one is made up). */
  trace?: string;
  alert?: Alert;
  /** The decision (or decision record) that led here. */
  decision?: unknown;
  /** The containment action's record, when the capture follows one. */
  action?: unknown;
  origin: 'policy' | 'manual';
}

/** Limits plus where bundles go (default: defaultEvidenceRoot of the environment). */
export type CaptureSettings = CaptureLimitsInput & { dir?: string };

export interface CaptureResult {
  /** The bundle directory (where it was meant to be, if it could not be made). */
  dir: string;
  container: Target;
  trace: string;
  alert: string | null;
  /** False: something is missing or cut short; `reasons` says what. */
  complete: boolean;
  reasons: string[];
  /** sha256 of manifest.json as written; absent if it could not be written. */
  manifestSha256: string | undefined;
  files: number;
  bytes: number;
  started: string;
  finished: string;
  durationMs: number;
}

/** procps: wide, with the full command line; the engine's default (-ef) if the host's ps refuses. */
const psArgs = '-ww -eo pid,ppid,user,stat,etime,args';

/**
 * Collects the evidence of one container (DESIGN §13) into a new bundle directory. Every Engine API
 * call names this container's id only: networks are taken from its own inspect (a network inspect
 * would list other containers). Read-only towards the container, so it works on a paused one and
 * runs after containment, never before it. Never rejects: a failure of any part, a timeout or a
 * full disk makes the result partial, with the reasons.
 */
export async function captureEvidence(
  port: DockerPort,
  container: Target,
  context: CaptureContext,
  settings: CaptureSettings = {},
  signal?: AbortSignal,
): Promise<CaptureResult> {
  const started = new Date();
  const { dir: root = defaultEvidenceRoot(process.env), ...limitInput } = settings;
  const limits = CaptureLimitsSchema.parse(limitInput);
  const trace = context.trace ?? `manual-${randomBytes(4).toString('hex')}`;
  const reasons: string[] = [];
  const result = (dir: string, writer: BundleWriter | undefined, manifestSha256?: string): CaptureResult => {
    const finished = new Date();
    const all = [...reasons, ...(writer?.reasons ?? [])];
    return {
      dir,
      container: { id: container.id, name: container.name },
      trace,
      alert: context.alert?.id ?? null,
      complete: all.length === 0 && manifestSha256 !== undefined,
      reasons: all,
      manifestSha256,
      files: writer?.entries.length ?? 0,
      bytes: writer?.entries.reduce((n, e) => n + e.size, 0) ?? 0,
      started: started.toISOString(),
      finished: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
    };
  };

  const name = bundleName(started, container.name, trace);
  let writer: BundleWriter;
  try {
    writer = await BundleWriter.create(root, name);
  } catch (error) {
    reasons.push(`cannot create the bundle directory in ${root}: ${(error as Error).message}`);
    return result(path.join(root, name), undefined);
  }

  const deadline = AbortSignal.timeout(limits.timeout_ms);
  const all = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const call = () => ({ signal: AbortSignal.any([all, AbortSignal.timeout(limits.call_timeout_ms)]) });
  const limit = pLimit(limits.concurrency);
  const id = container.id;
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

  /** One part of the capture: its failure is a reason, never the end of the capture. */
  const part = async <T>(label: string, run: () => Promise<T>): Promise<T | undefined> => {
    if (all.aborted) {
      reasons.push(`${label}: not taken (${stopped()})`);
      return undefined;
    }
    try {
      return await run();
    } catch (error) {
      reasons.push(`${label}: ${all.aborted ? stopped() : (error as Error).message}`);
      return undefined;
    }
  };
  const stopped = () =>
    deadline.aborted ? `capture timed out after ${limits.timeout_ms} ms` : 'capture cancelled';

  const inspect = await part('inspect', () => port.inspectContainer(id, call()));
  if (inspect) await writer.write('inspect.json', json(inspect));
  const tty = (inspect?.Config as { Tty?: boolean } | undefined)?.Tty === true;

  let engine: EngineInfo | undefined;
  const tasks: Promise<unknown>[] = [
    limit(() =>
      part('engine', async () => {
        engine = await port.info(call());
      }),
    ),
    limit(() =>
      part('processes', async () => {
        const top = await port.top(id, psArgs, call()).then(
          (list) => ({ ps_args: psArgs, ...list }),
          async () => ({ ps_args: '-ef', ...(await port.top(id, undefined, call())) }),
        );
        await writer.write('processes.json', json(top));
      }),
    ),
    limit(() =>
      part('logs', async () => {
        const logs = await port.logs(id, {
          ...call(),
          tail: limits.log_tail,
          maxBytes: limits.log_bytes,
          timestamps: true,
          tty,
        });
        await writer.write('logs-stdout.log', logs.stdout);
        if (!tty) await writer.write('logs-stderr.log', logs.stderr);
        if (logs.truncated)
          reasons.push(`logs: cut at ${limits.log_bytes} bytes of the last ${limits.log_tail} lines`);
      }),
    ),
    limit(() =>
      part('stats', async () => {
        await writer.write('stats.json', json(await port.stats(id, call())));
      }),
    ),
    limit(() =>
      part('changes', async () => {
        const changes = await port.changes(id, call());
        await writer.write('changes.json', json(changes));
        // Sequential inside: one tar, written in order (see archiveChanges).
        const listing = await archiveChanges(
          port,
          id,
          changes,
          { bytes: limits.archive_bytes, files: limits.archive_files, callTimeoutMs: limits.call_timeout_ms },
          writer,
          all,
        );
        await writer.write('files.json', json(listing));
        if (listing.skipped.length > 0)
          reasons.push(`archive: ${listing.skipped.length} paths left out (files.json lists them and why)`);
      }),
    ),
  ];
  if (inspect) {
    tasks.push(writer.write('networks.json', json(inspect.NetworkSettings.Networks ?? {})));
    tasks.push(writer.write('limits.json', json(limitsOf(inspect))));
  }
  if (context.alert) tasks.push(writer.write('alert.json', json(context.alert)));
  if (context.decision !== undefined || context.action !== undefined)
    tasks.push(
      writer.write(
        'decision.json',
        json({ origin: context.origin, decision: context.decision ?? null, action: context.action ?? null }),
      ),
    );
  await Promise.all(tasks);

  const finished = new Date();
  const manifest: Manifest = {
    format: manifestFormat,
    brig: brigVersion(),
    engine: { host: port.host, version: engine?.version, os: engine?.os },
    container: { id: container.id, name: container.name },
    state: inspect?.State.Status ?? 'unknown',
    trace,
    alert: context.alert?.id ?? null,
    origin: context.origin,
    started: started.toISOString(),
    finished: finished.toISOString(),
    complete: reasons.length === 0 && writer.reasons.length === 0,
    reasons: [...reasons, ...writer.reasons],
    limits,
    files: [...writer.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  const text = json(manifest);
  const written = await writer.write(manifestFile, text);
  // The manifest is not its own entry: verify checks it against the journal instead.
  if (written) writer.entries.pop();
  return result(writer.dir, writer, written ? sha256(text) : undefined);
}

function limitsOf(inspect: ContainerInspect): Record<string, unknown> {
  const hc = inspect.HostConfig as Record<string, unknown>;
  const keys = [
    'NanoCpus',
    'CpuQuota',
    'CpuPeriod',
    'CpuShares',
    'CpusetCpus',
    'PidsLimit',
    'Memory',
    'MemorySwap',
    'MemoryReservation',
    'OomKillDisable',
    'Ulimits',
    'BlkioWeight',
  ];
  return Object.fromEntries(keys.filter((k) => k in hc).map((k) => [k, hc[k]]));
}
