import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gradePosture } from '../audit/grade.js';
import { loadPolicyDir, formatPolicyError } from '../config/policy-loader.js';
import { watchPolicyDir } from '../config/policy-watcher.js';
import type { Settings } from '../config/settings.js';
import { startDetectors } from '../detect/detectors.js';
import type { DockerPort } from '../docker/docker-port.js';
import type { JournalRecord } from '../domain/journal-record.js';
import { followAlerts } from '../intake/alert-file.js';
import { alertJournalOf } from '../intake/hand-over.js';
import { startIntakeServer } from '../intake/http-server.js';
import { parsePayload } from '../intake/parse.js';
import { formatListen } from '../config/listen-address.js';
import { readToken } from '../intake/token.js';
import { Journal, JournalLockedError } from '../journal/journal.js';
import { severityWords } from '../domain/severity.js';
import { createMetrics } from '../metrics/metrics.js';
import { Engine } from './engine.js';
import { createNotifiers } from './notifiers.js';
import { selfContainerId } from './self-container.js';
import { StartupError } from './startup-error.js';
import { ioReason } from '../util/io-reason.js';

export interface Supervisor {
  engine: Engine;
  /** Where the HTTP intake listens, when --listen was given. */
  listening?: { host: string; port: number };
  /** Stop intake, drain in-flight actions, flush the journal. */
  stop(): Promise<void>;
}

/**
 * Builds the whole engine from settings: journal (and the state rebuilt from it), policies,
 * inventory, detectors, HTTP intake, --alerts, policy hot reload, notifiers. Used by the TUI and
 * --headless alike.
 */
export async function startSupervisor(
  settings: Settings,
  ports: readonly DockerPort[],
  warn: (message: string) => void,
  onRecord?: (record: JournalRecord) => void,
  options: { policiesExplicit?: boolean } = {},
): Promise<Supervisor> {
  const policyDirMissing = !options.policiesExplicit && !existsSync(settings.policiesDir);
  if (policyDirMissing) {
    // Default location and nothing there: Brig still watches, shows and acts by hand; say so.
    warn(
      `brig: no policy directory (${settings.policiesDir}): every alert will be decided no-match. ` +
        'Copy the examples from the policies/ folder of Brig there, or give --policies DIR.',
    );
  }
  const policies = policyDirMissing
    ? { policies: [], errors: [], files: [] }
    : await loadPolicyDir(settings.policiesDir);
  if (policies.errors.length > 0) {
    throw new StartupError('policies', policies.errors.map(formatPolicyError).join('\n'));
  }
  let token: string | undefined;
  if (settings.tokenFile) {
    const read = await readToken(settings.tokenFile).catch((error: Error) => {
      throw new StartupError('token', `brig: --token-file ${settings.tokenFile}: ${error.message}`);
    });
    token = read.token;
    if (read.warning) warn(read.warning);
  }
  // Everything that can fail is done before anything runs, and what did start is stopped on the
  // way out: a failed start leaves nothing running and journals no `start` (issue 11.8).
  const replay = settings.replay ? await readReplay(settings.replay) : undefined;
  const metrics = createMetrics({ processMetrics: true });
  const journal = await Journal.open(settings.journalFile, {
    maxBytes: settings.config.journal.max_bytes,
    onError: (error) => {
      metrics.journalErrors.inc();
      warn(`brig: journal ${settings.journalFile}: ${error.message}`);
    },
  }).catch((error: Error) => {
    // Two writers would interleave records: the second Brig does not start.
    if (error instanceof JournalLockedError) throw new StartupError('journal', `brig: ${error.message}`);
    throw new StartupError('journal', `brig: --journal ${settings.journalFile}: ${error.message}`);
  });
  if (onRecord) journal.onRecord(onRecord);
  for (const s of journal.skipped) warn(`brig: ${settings.journalFile}:${s.line}: skipped: ${s.reason}`);
  journal.onRecord((r) => metrics.countRecord(r));
  const notifiers = createNotifiers(settings.config.notify, { onError: (m) => warn(`brig: notify: ${m}`) });
  const executor = settings.config.executor;
  const engine = new Engine({
    ports,
    journal,
    metrics,
    policies,
    armed: settings.arm,
    dryRun: settings.dryRun,
    readOnly: settings.readOnly,
    protectNames: settings.config.guard.protect_names,
    selfContainerId: selfContainerId(),
    executor: {
      actionTimeoutMs: executor.action_timeout_secs * 1000,
      retryMaxAttempts: executor.retry_max_attempts,
      retryBackoffBaseMs: executor.retry_backoff_base_ms,
      maxConcurrentActions: executor.max_concurrent_actions,
    },
    queueCapacity: settings.config.intake.queue_capacity,
    answeredWindowMs: settings.config.intake.answered_window_secs * 1000,
    rebuilt: journal.state,
    notify: (record) => notifiers.notify(record),
    grade: gradePosture,
    warn,
  });
  metrics.watch({ snapshot: () => engine.getSnapshot(), intakeQueue: () => engine.queue.size });
  engine.reloader = async () =>
    engine.applyPolicies(await loadPolicyDir(settings.policiesDir), formatPolicyError);

  const record = (entry: Parameters<Journal['append']>[0]) => {
    journal.append(entry);
    if (entry.type === 'rejected') {
      if (entry.reason.startsWith('shed')) engine.countShed();
      else engine.countRejected();
    }
    if (entry.type === 'resolved') engine.alertResolved(entry.alert);
  };

  // The port is bound before the engine starts: a port in use is a failed start, not a zombie.
  let server: Awaited<ReturnType<typeof startIntakeServer>> | undefined;
  if (settings.listen) {
    const listen = settings.listen;
    server = await startIntakeServer({
      host: listen.host,
      port: listen.port,
      token,
      maxBodyBytes: settings.config.intake.max_body_bytes,
      parse: { severityWords: severityWords(settings.config.intake.severity_words) },
      queue: engine.queue,
      record,
      alertJournal: alertJournalOf(journal),
      metrics,
      commands: (command) => engine.send(command),
      health: () => engine.inventory.engineStatuses(),
      journalHealth: () => engine.journalHealth(),
    }).catch(async (error: Error) => {
      await Promise.allSettled([notifiers.close(), journal.close()]);
      throw new StartupError('listen', `brig: --listen ${formatListen(listen)}: ${error.message}`);
    });
  }

  try {
    await engine.start();
  } catch (error) {
    await Promise.allSettled([server?.close(), engine.stop(), notifiers.close()]);
    await journal.close().catch(() => undefined);
    throw error;
  }
  if (server)
    journal.append({
      type: 'engine',
      event: 'listening',
      address: `${server.address.host}:${server.address.port}`,
    });

  const detectors = startDetectors(settings.config.detectors, {
    containers: () => engine.inventory.containers(),
    emit: (alert) => void engine.submit(alert),
    stats: (id, stats) => engine.setStats(id, stats),
    port: (host) => engine.inventory.port(host),
    status: (message) => engine.setSampler(message),
  });
  const stopEvents = engine.onDockerEvent((event, container) =>
    detectors.handleDockerEvent(event, container),
  );

  const follower = settings.alerts
    ? followAlerts(settings.alerts, {
        queue: engine.queue,
        record,
        metrics,
        maxLineBytes: settings.config.intake.max_line_bytes,
        onWarning: warn,
        // A followed log from its end: after a restart an armed Brig must not act on old alerts again.
        start: 'end',
      })
    : undefined;

  if (replay) {
    for (const r of replay.parsed.rejected) {
      record({
        type: 'rejected',
        source: 'replay',
        reason: `${replay.file}:${r.line ?? r.index + 1}: ${r.reason}`,
        raw: r.raw,
      });
    }
    for (const alert of replay.parsed.alerts) engine.handleAlert(alert, { proposalOnly: true });
  }

  // Nothing to watch when the default directory does not exist (the warning above said so).
  const watcher = policyDirMissing
    ? undefined
    : watchPolicyDir(
        settings.policiesDir,
        (result) => engine.applyPolicies(result, formatPolicyError),
        settings.config.policies.reload_quiet_ms,
      );

  return {
    engine,
    listening: server?.address,
    async stop() {
      watcher?.close();
      follower?.close();
      await server?.close();
      stopEvents();
      detectors.close();
      await engine.stop();
      await notifiers.close();
      await journal.close();
    },
  };
}

/** The --replay file, read and parsed before anything starts. */
async function readReplay(file: string) {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new StartupError('replay', `brig: --replay ${file}: ${ioReason(error)}`);
  });
  return { file, parsed: parsePayload(text, 'auto') };
}
