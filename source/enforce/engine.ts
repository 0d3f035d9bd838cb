import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ActionSpec } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type { Alert } from '../domain/alert.js';
import type { Container } from '../domain/container.js';
import type { Decision } from '../domain/decision.js';
import type { JournalEntry } from '../domain/journal-record.js';
import { FollowLogsOptionsSchema, type FollowLogsOptions, type LogEvent } from '../domain/log-line.js';
import type {
  AlertView,
  CommandResult,
  ContainerStats,
  DecisionOutcome,
  EvidenceView,
  EngineCommand,
  EngineHandle,
  EngineSnapshot,
  InspectResult,
  Posture,
  QueueItem,
} from '../domain/snapshot.js';
import type { DockerEvent, DockerPort } from '../docker/docker-port.js';
import { Inventory } from '../docker/inventory.js';
import type { ContainerInspect } from '../docker/inspect.js';
import type { Journal, JournalHealth } from '../journal/journal.js';
import type { RebuiltState } from '../journal/rebuild.js';
import type { BrigMetrics } from '../metrics/metrics.js';
import { BoundedQueue } from '../intake/bounded-queue.js';
import { AlertDeduper } from '../intake/dedup.js';
import { isJournaled } from '../intake/journaled.js';
import type { PolicyLoadResult } from '../config/policy-loader.js';
import { compilePolicies, summarizePolicy } from '../policy/compile.js';
import type { CompiledPolicySet } from '../policy/compile.js';
import { decide, resolveContainer } from '../policy/decide.js';
import { compileGlobs, type Matcher } from '../policy/glob.js';
import { protectionReason } from '../policy/rails.js';
import { carryOut, elapsedMs, type DispatchContext, type DispatchTiming } from './dispatcher.js';
import { Executor, type ExecutorSettings } from './executor.js';
import { IsolationStore } from './isolation-store.js';
import { OperatorQueue } from './operator-queue.js';
import { restoreOnResolve } from './alert-memory.js';
import { PolicyHistoryStore } from './policy-history.js';
import { Reconciler } from './reconciler.js';
import {
  captureEvidence,
  type CaptureContext,
  type CaptureResult,
  type CaptureSettings,
} from '../evidence/capture.js';
import { CaptureLimiter } from '../evidence/capture-limiter.js';
import { captureRecord } from '../evidence/capture-record.js';
import { restoreContainer } from './restore.js';
import { SnapshotPublisher } from './snapshot-publisher.js';
import { containerIdRefPattern } from '../domain/container.js';

export interface EngineOptions {
  ports: readonly DockerPort[];
  journal: Journal;
  metrics: BrigMetrics;
  policies: PolicyLoadResult;
  armed: boolean;
  dryRun: boolean;
  readOnly: boolean;
  protectNames: readonly string[];
  selfContainerId?: string;
  executor: ExecutorSettings;
  queueCapacity: number;
  /** State rebuilt from the journal: isolation records, policy history, disabled policies. */
  rebuilt?: RebuiltState;
  notify?: (record: ActionRecord) => void;
  grade?: (inspect: ContainerInspect) => Posture;
  warn?: (message: string) => void;
  now?: () => number;
  /** Where evidence bundles go and their limits (DESIGN §13). */
  evidence?: CaptureSettings;
  /** How long the operator's answer to an alert holds (alert-memory.ts); default 24 h. */
  answeredWindowMs?: number;
}

const keepAlerts = 500;
const keepActions = 500;

/** What an operator's container reference resolved to (Engine.operatorTarget). */
type OperatorTarget =
  | { ok: true; container: Container; port: DockerPort }
  | { ok: false; code: 'not-found' | 'failed'; message: string };

/**
 * The engine (DESIGN §1): alerts in, decisions, guard rails, actions, journal; views read its
 * snapshots and send it commands. One direction: nothing here is called by Docker or the UI
 * except through `queue`, `handleDockerEvent` and `send`.
 */
export class Engine implements EngineHandle {
  /** Intake (HTTP, --alerts, detectors) offers alerts here; the engine drains it in order. */
  readonly queue: BoundedQueue<Alert>;
  readonly inventory: Inventory;
  private readonly executor: Executor;
  private readonly isolation: IsolationStore;
  private readonly history = new PolicyHistoryStore();
  private readonly operatorQueue = new OperatorQueue();
  private readonly dedup = new AlertDeduper();
  private readonly publisher: SnapshotPublisher<EngineSnapshot>;
  private readonly alerts: AlertView[] = [];
  private readonly actions: ActionRecord[] = [];
  /** When each queued decision was made (performance.now()), for its wait_ms once approved. */
  private readonly decidedAt = new WeakMap<Decision, number>();
  private readonly reconciler: Reconciler;
  /** Aborts attempts in flight at shutdown only after their own deadlines (never used to cut them short). */
  private readonly shutdown = new AbortController();
  /** The stops of the logs views' follows, ended at shutdown. */
  private readonly follows = new Set<() => void>();
  private readonly dispatchContext: DispatchContext;
  /** The journal's trouble, for the status line and /healthz: Brig does not act while it is set. */
  private journalNotice: string | undefined;
  /** Captures run beside containment, never before it, bounded across the engine. */
  private readonly captureLimiter = new CaptureLimiter(2, 16);
  private readonly captures = new Set<Promise<unknown>>();
  /** The newest bundle per container, for container details. */
  private readonly evidence = new Map<string, EvidenceView>();
  private readonly stats = new Map<string, ContainerStats>();
  private readonly posture = new Map<string, Posture>();
  private readonly disabled: Set<string>;
  private readonly counters = { alerts: 0, rejected: 0, duplicates: 0, shed: 0 };
  private readonly inFlightActions = new Set<Promise<unknown>>();
  /** What in-flight actions will make of their containers, until the inventory has seen it. */
  private readonly expected = new Map<string, Partial<Container>>();
  private compiled: CompiledPolicySet;
  private readonly protectMatcher: Matcher | undefined;
  private policyResult: PolicyLoadResult;
  private policyError: string | undefined;
  private armed: boolean;
  private dryRun: boolean;
  private sampler: string | undefined;
  private stopped = false;
  private hostMemory = new Map<string, number>();
  private readonly eventListeners = new Set<(event: DockerEvent, container: Container | undefined) => void>();

  constructor(private readonly options: EngineOptions) {
    this.armed = options.armed;
    this.protectMatcher = compileGlobs(options.protectNames);
    this.dryRun = options.dryRun;
    this.queue = new BoundedQueue<Alert>(options.queueCapacity);
    this.executor = new Executor(options.executor);
    this.isolation = new IsolationStore(options.rebuilt?.isolation);
    for (const h of options.rebuilt?.history ?? []) this.history.record(h.policy, h.container, h.at);
    this.disabled = new Set(options.rebuilt?.disabledPolicies ?? []);
    this.policyResult = options.policies;
    this.compiled = compilePolicies(options.policies.policies);
    this.publisher = new SnapshotPublisher(() => this.buildSnapshot());
    this.inventory = new Inventory(options.ports, {
      onChange: () => this.changed(),
      onEvent: (event, container) => {
        for (const listener of this.eventListeners) listener(event, container);
      },
      onInspect: (inspect) => {
        if (options.grade) this.posture.set(inspect.Id, options.grade(inspect));
      },
      onInspectError: (id, host, error) =>
        this.journal({ type: 'engine', event: 'inspect-failed', host, container: id, error: error.message }),
      onEngineStatus: (status, previous) => {
        this.journal({
          type: 'engine',
          event: status.up ? 'engine-up' : 'engine-down',
          host: status.host,
          error: status.error,
        });
        if (previous && !previous.up && status.up) {
          this.journal({ type: 'engine', event: 'engine-reconnected', host: status.host });
          // Intents whose outcome was unknown while it was away can be settled now.
          void this.reconciler.reconcileAll('late');
        }
      },
    });
    this.reconciler = new Reconciler({
      inventory: this.inventory,
      openIntents: () => options.journal.state.openIntents,
      settle: (record) => this.settle(record),
    });
    this.dispatchContext = {
      inventory: this.inventory,
      executor: this.executor,
      journal: options.journal,
      signal: this.shutdown.signal,
      settle: (record) => this.settle(record),
      reconcileLater: (id) => this.reconciler.later(id),
      journalFailed: (error) => this.journalFailed(error.message),
    };
    options.journal.onHealth((health) => this.journalHealthChanged(health));
  }

  /** Whether the journal takes records: /healthz and the metric read this. */
  journalHealth(): JournalHealth {
    return this.options.journal.health;
  }

  /** Fail closed (DESIGN §6): a journal that cannot take intents means Brig must not act. */
  private journalFailed(error: string): void {
    this.journalNotice = `journal unwritable (${error}): Brig disarmed itself and acts on nothing until the journal works and you arm it again`;
    if (this.armed) {
      this.armed = false;
      this.journal({ type: 'engine', event: 'disarmed', reason: 'journal', error });
    }
    this.options.warn?.(`brig: ${this.journalNotice}`);
    this.changed();
  }

  private journalHealthChanged(health: JournalHealth): void {
    if (!health.ok) this.journalFailed(health.error ?? 'write failed');
    else {
      this.journalNotice = `journal writable again since ${new Date().toISOString().slice(11, 19)} UTC; Brig stays disarmed until you arm it`;
      this.changed();
    }
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Connect to the engines and start taking alerts. */
  async start(): Promise<void> {
    this.journal({
      type: 'engine',
      event: 'start',
      armed: this.armed,
      dry_run: this.dryRun,
      policies: this.policyResult.policies.length,
      isolated: this.isolation.count(),
    });
    await this.inventory.start();
    // What Brig was doing when it last stopped (kill -9, power loss) is settled before anything new.
    await this.reconciler.reconcileAll('start');
    void this.drain();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const alert = await this.queue.take();
      if (this.stopped) break;
      this.handleAlert(alert);
    }
  }

  /** For detectors: Docker events as the inventory applied them. */
  onDockerEvent(listener: (event: DockerEvent, container: Container | undefined) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Offer an alert from a source that must not shed (detectors, replay): waits for room. */
  async submit(alert: Alert): Promise<void> {
    while (!this.queue.offer(alert)) await this.queue.waitForSpace();
  }

  /** Intake's count of rejected input, for the header. */
  countRejected(n = 1): void {
    this.counters.rejected += n;
    this.changed();
  }

  countShed(n = 1): void {
    this.counters.shed += n;
    this.changed();
  }

  setStats(containerId: string, stats: ContainerStats): void {
    this.stats.set(containerId, stats);
    this.changed();
  }

  setSampler(message: string): void {
    this.sampler = message;
    this.journal({ type: 'engine', event: 'sampler', message });
    this.changed();
  }

  /** New policies from a reload: a broken set keeps the last good one in force. */
  applyPolicies(
    result: PolicyLoadResult,
    formatError: (e: PolicyLoadResult['errors'][number]) => string,
  ): void {
    if (result.errors.length > 0) {
      this.policyError = result.errors.map(formatError).join('\n');
      this.journal({ type: 'policies', ok: false, errors: result.errors.map(formatError) });
    } else {
      this.policyResult = result;
      this.compiled = compilePolicies(result.policies);
      this.policyError = undefined;
      this.journal({ type: 'policies', ok: true, count: result.policies.length, files: result.files });
    }
    this.changed();
  }

  // ── alerts ────────────────────────────────────────────────────────────────

  /** Decide one alert and act on its decisions. `proposalOnly`: --replay, never executes. */
  handleAlert(alert: Alert, options: { proposalOnly?: boolean } = {}): AlertView | undefined {
    const now = this.now();
    this.counters.alerts += 1;
    this.options.metrics.alerts.inc({ source: alert.source, severity: alert.severity });
    if (this.dedup.isDuplicate(alert.id, now)) {
      this.counters.duplicates += 1;
      this.options.metrics.duplicates.inc();
      // Journaled by the intake already (before its 202): the duplicate verdict is recorded on its own.
      this.journal(
        isJournaled(alert)
          ? { type: 'engine', event: 'duplicate', alert: alert.id }
          : { type: 'alert', alert, duplicate: true },
      );
      this.changed();
      return undefined;
    }
    // A repeat of an alert the operator answered (restored, skipped, vetoed) does not act again.
    const answered = this.options.journal.state.answered.lookup(alert.id, now, this.options.answeredWindowMs);
    if (answered && !options.proposalOnly) {
      // The intake may have journaled the alert already (before its 202): then the verdict stands alone.
      this.journal(
        isJournaled(alert)
          ? { type: 'engine', event: 'answered', alert: alert.id, answered: answered.answer }
          : { type: 'alert', alert, answered: answered.answer },
      );
      this.changed();
      return undefined;
    }
    const decidedAt = performance.now();
    if (!isJournaled(alert)) this.journal({ type: 'alert', alert });
    const result = decide(alert, this.compiled, {
      inventory: this.expectedInventory(),
      armed: this.armed,
      dryRun: this.dryRun || Boolean(options.proposalOnly),
      protectNames: this.options.protectNames,
      selfContainerId: this.options.selfContainerId,
      now,
      history: this.history,
      disabledPolicies: this.disabled,
      posture: (id) => this.posture.get(id)?.level,
    });
    this.options.metrics.decisionTime.observe((performance.now() - decidedAt) / 1000);
    const view: AlertView = {
      alert,
      decisions: result.decisions,
      outcomes: result.decisions.map(() => ({ state: 'decided' as const })),
      trace: result.trace,
    };
    this.alerts.push(view);
    if (this.alerts.length > keepAlerts) this.alerts.shift();
    for (const decision of result.decisions) this.route(alert, decision, decidedAt);
    this.changed();
    return view;
  }

  /**
   * The inventory as it will be once in-flight actions land: without it, a flood of alerts for one
   * container would each decide `execute` before Docker's answer comes back.
   */
  private expectedInventory(): Container[] {
    const containers = this.inventory.containers();
    if (this.expected.size === 0) return containers;
    return containers.map((c) => {
      const overlay = this.expected.get(c.id);
      return overlay ? { ...c, ...overlay } : c;
    });
  }

  private route(alert: Alert, decision: Decision, decidedAt: number): void {
    this.options.metrics.decisions.inc({ verdict: decision.verdict });
    const queued = (kind: QueueItem['kind']) => {
      const { item, evicted } = this.operatorQueue.add(kind, alert, decision);
      this.decidedAt.set(decision, decidedAt);
      this.setOutcome(alert.id, decision, { state: kind === 'grace' ? 'pending' : 'queued', by: 'policy' });
      if (evicted) {
        this.journal({
          type: 'engine',
          event: 'queue-evicted',
          queue_id: evicted.id,
          alert: evicted.alert.id,
        });
        this.setOutcome(evicted.alert.id, evicted.decision, { state: 'evicted' });
      }
      return item;
    };
    let queueId: string | undefined;
    switch (decision.verdict) {
      case 'execute':
        this.dispatch(alert, decision, 'policy', 'policy', { startedAt: decidedAt });
        break;
      case 'disarmed':
        queueId = queued('approval').id;
        break;
      case 'dry-run':
        queueId = queued('proposal').id;
        break;
      case 'pending': {
        const item = queued('grace');
        queueId = item.id;
        this.operatorQueue.schedule(item.id, decision.deadline ?? this.now(), this.now(), (due) => {
          this.journal({ type: 'engine', event: 'grace-expired', queue_id: due.id, alert: due.alert.id });
          const startedAt = performance.now();
          this.dispatch(due.alert, due.decision, 'policy', 'grace', {
            startedAt,
            waitMs: startedAt - (this.decidedAt.get(due.decision) ?? startedAt),
          });
          this.changed();
        });
        break;
      }
      default:
        break;
    }
    this.journal({
      type: 'decision',
      alert: decision.alert,
      policy: decision.policy,
      container: decision.container,
      action: decision.action?.kind ?? null,
      verdict: decision.verdict,
      reason: decision.reason,
      ...(queueId ? { decision_id: queueId } : {}),
      ...(decision.deadline ? { deadline: decision.deadline } : {}),
    });
  }

  // ── acting ────────────────────────────────────────────────────────────────

  /** What became of a decision (the Alerts pane follows it): the view is replaced, never mutated. */
  private setOutcome(alertId: string, decision: Decision, outcome: DecisionOutcome): void {
    for (let i = this.alerts.length - 1; i >= 0; i--) {
      const view = this.alerts[i]!;
      if (view.alert.id !== alertId) continue;
      const index = view.decisions.indexOf(decision);
      if (index < 0) continue;
      const outcomes = [...(view.outcomes ?? view.decisions.map(() => ({ state: 'decided' as const })))];
      outcomes[index] = { ...outcome, at: outcome.at ?? new Date(this.now()).toISOString() };
      this.alerts[i] = { ...view, outcomes };
      this.changed();
      return;
    }
  }

  private dispatch(
    alert: Alert | undefined,
    decision: Decision,
    origin: ActionRecord['origin'],
    by: NonNullable<DecisionOutcome['by']>,
    timing: DispatchTiming,
  ): Promise<ActionRecord> {
    const run = this.execute(alert, decision, origin, by, timing);
    this.inFlightActions.add(run);
    this.changed();
    void run.finally(() => {
      this.inFlightActions.delete(run);
      this.changed();
    });
    return run;
  }

  private async execute(
    alert: Alert | undefined,
    decision: Decision,
    origin: ActionRecord['origin'],
    by: NonNullable<DecisionOutcome['by']>,
    timing: DispatchTiming,
  ): Promise<ActionRecord> {
    const spec = decision.action as ActionSpec;
    const target = decision.container as { id: string; name: string };
    const container = this.inventory.get(target.id);
    const overlay = container ? expectedAfter(spec, container) : undefined;
    if (container && overlay)
      this.expected.set(container.id, { ...this.expected.get(container.id), ...overlay });
    if (alert) this.setOutcome(alert.id, decision, { state: 'executing', by });
    const record =
      spec.kind === 'capture'
        ? await this.captureAction(alert, decision, origin, timing)
        : await carryOut(this.dispatchContext, alert, decision, origin, timing);
    const sinceAlert = alert ? (Date.now() - Date.parse(alert.time)) / 1000 : NaN;
    if (record.result === 'ok' && sinceAlert >= 0)
      this.options.metrics.alertToAction.observe({ action: record.action }, sinceAlert);
    // `capture = true`: evidence after the containment, which never waits for it.
    if (
      record.result === 'ok' &&
      spec.kind !== 'capture' &&
      container &&
      decision.policy &&
      this.policyResult.policies.find((p) => p.id === decision.policy)?.capture
    )
      void this.capture(container, { trace: alert?.id, alert, decision, action: record, origin: 'policy' });
    if (alert)
      this.setOutcome(alert.id, decision, {
        state: record.result === 'ok' ? 'executed' : 'failed',
        by,
        actionId: record.id,
        ...(record.error ? { error: record.error } : {}),
      });
    if (container) {
      await this.inventory.refresh(container.id, container.engine).catch(() => undefined);
      if (overlay) this.expected.delete(container.id);
    }
    return record;
  }

  /**
   * Collects one container's evidence in the background (bounded), journals the `capture` record, and
   * resolves with the result; undefined when too many captures are already waiting (journaled too).
   */
  capture(
    container: Pick<Container, 'id' | 'name' | 'engine'>,
    context: CaptureContext,
  ): Promise<CaptureResult | undefined> {
    const port = this.inventory.port(container.engine);
    const target = { id: container.id, name: container.name };
    if (!port) return Promise.resolve(undefined);
    const run = this.captureLimiter
      .run(() => captureEvidence(port, target, context, this.options.evidence ?? {}, this.shutdown.signal))
      .then((result) => {
        if (result) {
          this.journal(captureRecord(result));
          this.evidence.set(target.id, {
            dir: result.dir,
            complete: result.complete,
            reasons: result.reasons,
            at: result.finished,
          });
        } else
          this.journal({
            type: 'engine',
            event: 'capture-skipped',
            container: target,
            reason: 'too many captures already waiting',
          });
        this.changed();
        return result;
      });
    this.captures.add(run);
    void run.finally(() => this.captures.delete(run));
    return run;
  }

  /** A policy whose action is Capture: the capture is the action, and its record says where it went. */
  private async captureAction(
    alert: Alert | undefined,
    decision: Decision,
    origin: ActionRecord['origin'],
    timing: DispatchTiming,
  ): Promise<ActionRecord> {
    const target = decision.container as { id: string; name: string };
    const container = this.inventory.get(target.id);
    const result = container
      ? await this.capture(container, { trace: alert?.id, alert, decision, origin: 'policy' })
      : undefined;
    const record: ActionRecord = {
      id: randomUUID(),
      alert: alert?.id ?? null,
      policy: decision.policy,
      container: target,
      engine: container?.engine ?? '',
      action: 'capture',
      origin,
      result: result ? 'ok' : 'failed',
      attempts: 1,
      latency_ms: elapsedMs(timing.startedAt),
      ...(result
        ? {
            note: `${result.complete ? 'complete' : `partial (${result.reasons.join('; ')})`}: ${result.dir}`,
          }
        : {
            error: container
              ? 'too many captures already waiting'
              : 'container is no longer in the inventory',
          }),
      ts: new Date().toISOString(),
    };
    await this.settle(record);
    return record;
  }

  /**
   * An outcome: state first, then the record, since whoever reads the record (stdout, HTTP, the TUI)
   * may restore at once. Action records are fsync'd before the action is reported done.
   */
  private async settle(record: ActionRecord): Promise<void> {
    if (record.action === 'restore') {
      if (record.result === 'ok') this.isolation.clear(record.container.id);
    } else {
      if (record.result === 'ok' && record.policy)
        this.history.record(record.policy, record.container.id, this.now());
      this.isolation.add(record);
    }
    const { ts: _ts, ...fields } = record;
    // The intent, fsync'd before the call, already holds what restore needs: an outcome that cannot be
    // written is reconciled from it at the next start.
    await this.options.journal.appendDurable({ type: 'action', ...fields }).catch((error: Error) => {
      this.options.warn?.(`brig: journal: action record not written: ${error.message}`);
    });
    this.actions.push(record);
    if (this.actions.length > keepActions) this.actions.shift();
    this.options.metrics.actions.inc({ action: record.action, result: record.result });
    if (record.latency_ms > 0)
      this.options.metrics.actionLatency.observe({ action: record.action }, record.latency_ms / 1000);
    this.options.notify?.(record);
    this.changed();
  }

  /** An alert resolved (a `resolved` record): policies with restore_on_resolve undo what they did for it. */
  alertResolved(identity: string): void {
    if (this.dryRun || this.stopped) return;
    const optedIn = (id: string) =>
      this.policyResult.policies.some((p) => p.id === id && p.restore_on_resolve);
    for (const id of restoreOnResolve(this.options.journal.state.isolation, identity, optedIn))
      void this.restore(id);
  }

  private async restore(ref: string): Promise<CommandResult> {
    const target = this.operatorTarget(ref);
    if (!target.ok) return target;
    const { container, port } = target;
    const open = [...this.options.journal.state.openIntents.values()].filter(
      (i) => i.container.id === container.id && i.engine === container.engine,
    );
    const result = await restoreContainer(
      {
        executor: this.executor,
        port,
        done: this.isolation.get(container.id),
        open,
        hostMemory: () => this.memTotal(port),
        signal: this.shutdown.signal,
        settle: (record) => this.settle(record),
      },
      container,
    );
    void this.inventory.refresh(container.id, container.engine).catch(() => undefined);
    return result;
  }

  private async memTotal(port: DockerPort): Promise<number> {
    const known = this.hostMemory.get(port.host);
    if (known) return known;
    const total = (await port.info()).memTotal;
    this.hostMemory.set(port.host, total);
    return total;
  }

  /**
   * The container operator input names (TUI, HTTP: an id, or a name; an id-looking name is still
   * found by name) and the engine that holds it. A name used on several engines is refused, never
   * guessed: every command that takes a container says so in the same words.
   */
  private operatorTarget(ref: string): OperatorTarget {
    const containers = this.inventory.containers();
    const isId = containerIdRefPattern.test(ref);
    const container =
      resolveContainer(isId ? { id: ref } : { name: ref }, containers) ??
      (isId ? resolveContainer({ name: ref }, containers) : undefined);
    if (!container) {
      const named = containers.filter((c) => c.name === ref).length;
      const message =
        named > 1
          ? `${ref} names ${named} containers (on different engines): name one by its id`
          : `no container ${ref} in the inventory`;
      return { ok: false, code: 'not-found', message };
    }
    const port = this.inventory.port(container.engine);
    if (!port)
      return {
        ok: false,
        code: 'failed',
        message: `${container.name}: engine ${container.engine} is not connected`,
      };
    return { ok: true, container, port };
  }

  private isProtected(container: Container): string | undefined {
    return protectionReason(container, this.protectMatcher, this.options.selfContainerId);
  }

  // ── commands (TUI and HTTP alike) ────────────────────────────────────────

  async send(command: EngineCommand): Promise<CommandResult> {
    const result = await this.apply(command);
    this.journal({
      type: 'operator',
      command: command.type,
      ...commandFields(command),
      ok: result.ok,
      message: result.message,
    });
    this.changed();
    return result;
  }

  private async apply(command: EngineCommand): Promise<CommandResult> {
    const acting = command.type !== 'disarm' && command.type !== 'skip' && command.type !== 'veto';
    if (this.options.readOnly && acting)
      return { ok: false, code: 'read-only', message: 'read-only: Brig was started with --read-only' };
    switch (command.type) {
      case 'arm':
        if (!this.options.journal.health.ok)
          return {
            ok: false,
            code: 'journal-unavailable',
            message: `not armed: the journal cannot be written (${this.options.journal.health.error ?? ''})`,
          };
        this.armed = true;
        this.journalNotice = undefined;
        return { ok: true, message: 'ARMED: policies now act on containers' };
      case 'disarm':
        this.armed = false;
        return { ok: true, message: 'DISARMED: decisions wait for the operator' };
      case 'set-dry-run':
        this.dryRun = command.on;
        return { ok: true, message: `dry-run ${command.on ? 'on' : 'off'}` };
      case 'approve': {
        const item = this.operatorQueue.take(command.id);
        if (!item) return { ok: false, code: 'not-found', message: `no queued decision ${command.id}` };
        if (this.dryRun) {
          this.operatorQueue.add(item.kind, item.alert, item.decision);
          return { ok: false, code: 'dry-run', message: 'dry-run is on: nothing executes' };
        }
        const target = item.decision.container ? this.inventory.get(item.decision.container.id) : undefined;
        const why = target && this.isProtected(target);
        if (why) return { ok: false, code: 'refused', message: `refused: ${why}` };
        // The engine's latency starts at the approval; the time before it is the operator's wait.
        const startedAt = performance.now();
        const record = await this.dispatch(item.alert, item.decision, 'approved', 'operator', {
          startedAt,
          waitMs: startedAt - (this.decidedAt.get(item.decision) ?? startedAt),
        });
        return actionResult(record);
      }
      case 'skip':
      case 'veto': {
        const item = this.operatorQueue.take(command.id);
        if (!item) return { ok: false, code: 'not-found', message: `no queued decision ${command.id}` };
        this.setOutcome(item.alert.id, item.decision, {
          state: command.type === 'veto' ? 'vetoed' : 'skipped',
          by: 'operator',
        });
        return {
          ok: true,
          message: `${command.type === 'veto' ? 'vetoed' : 'skipped'}: ${item.decision.action?.kind ?? ''} ${item.decision.container?.name ?? ''}`,
        };
      }
      case 'restore':
        return this.restore(command.container);
      case 'capture': {
        const target = this.operatorTarget(command.container);
        if (!target.ok) return target;
        const { container } = target;
        const result = await this.capture(container, { origin: 'manual' });
        if (!result)
          return { ok: false, code: 'failed', message: `${container.name}: too many captures waiting` };
        return result.complete
          ? { ok: true, message: `${container.name}: evidence captured in ${result.dir}` }
          : {
              ok: true,
              message: `${container.name}: evidence partial (${result.reasons.join('; ')}) in ${result.dir}`,
            };
      }
      case 'manual': {
        const target = this.operatorTarget(command.container);
        if (!target.ok) return target;
        const { container } = target;
        const why = this.isProtected(container);
        if (why) return { ok: false, code: 'refused', message: `refused: ${why}` };
        if (this.dryRun) return { ok: false, code: 'dry-run', message: 'dry-run is on: nothing executes' };
        const decision: Decision = {
          alert: 'operator',
          policy: null,
          container: { id: container.id, name: container.name },
          action: command.action,
          verdict: 'execute',
          reason: 'manual action by the operator',
        };
        return actionResult(
          await this.dispatch(undefined, decision, 'manual', 'operator', { startedAt: performance.now() }),
        );
      }
      case 'set-policy-enabled':
        if (!this.policyResult.policies.some((p) => p.id === command.id))
          return { ok: false, code: 'not-found', message: `no policy ${command.id}` };
        if (command.enabled) this.disabled.delete(command.id);
        else this.disabled.add(command.id);
        return { ok: true, message: `policy ${command.id} ${command.enabled ? 'enabled' : 'disabled'}` };
      case 'reload-policies':
        if (!this.reloader) return { ok: false, code: 'not-found', message: 'no policy directory to reload' };
        await this.reloader();
        return this.policyError
          ? { ok: false, code: 'failed', message: `policies not reloaded: ${this.policyError}` }
          : { ok: true, message: `policies reloaded: ${this.policyResult.policies.length}` };
    }
  }

  /** Set by the runner: loads the policy directory again and calls applyPolicies. */
  reloader: (() => Promise<void>) | undefined;

  // ── views ────────────────────────────────────────────────────────────────

  /** The raw inspect document from the engine that holds the container; a failure is a result, not a throw. */
  async inspectContainer(ref: string): Promise<InspectResult> {
    const target = this.operatorTarget(ref);
    if (!target.ok) return { ok: false, message: target.message };
    const { container, port } = target;
    try {
      const inspect = await port.inspectContainer(container.id, { signal: this.shutdown.signal });
      return { ok: true, engine: container.engine, inspect };
    } catch (error) {
      return { ok: false, message: `${container.name}: inspect failed: ${(error as Error).message}` };
    }
  }

  getSnapshot(): EngineSnapshot {
    return this.publisher.get();
  }

  subscribe(listener: () => void): () => void {
    return this.publisher.subscribe(listener);
  }

  followLogs(ref: string, options: FollowLogsOptions, listener: (event: LogEvent) => void): () => void {
    // A listener that throws must not take the port's stream (or the engine) down with it.
    let stopped = false;
    const tell = (event: LogEvent) => {
      if (stopped) return;
      if (event.type === 'end') stopped = true;
      try {
        listener(event);
      } catch {
        // The view's own fault; the stream is not the place to report it.
      }
    };
    const refuse = (message: string) => {
      queueMicrotask(() => tell({ type: 'end', error: true, message }));
      return () => {
        stopped = true;
      };
    };
    const parsed = FollowLogsOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(`logs: ${issue?.path.join('.') || 'options'}: ${issue?.message ?? 'invalid'}`);
    }
    if (this.stopped) return refuse('logs: Brig is shutting down');
    const target = this.operatorTarget(ref);
    if (!target.ok) return refuse(`logs: ${target.message}`);
    const { container, port } = target;
    const controller = new AbortController();
    const stop = () => {
      stopped = true;
      this.follows.delete(stop);
      controller.abort();
    };
    this.follows.add(stop);
    port.followLogs(
      container.id,
      { ...parsed.data, signal: controller.signal },
      {
        onLine: (line) => tell({ type: 'line', line }),
        onEnd: (error) => {
          this.follows.delete(stop);
          tell(
            error
              ? { type: 'end', error: true, message: `logs: ${container.name}: ${error.message}` }
              : {
                  type: 'end',
                  error: false,
                  message: `${container.name}: the log stream ended (container stopped)`,
                },
          );
        },
      },
    );
    return stop;
  }

  private changed(): void {
    this.publisher.changed();
  }

  private buildSnapshot(): EngineSnapshot {
    const containers = this.inventory.containers().sort((a, b) => a.name.localeCompare(b.name));
    this.options.metrics.containers.set(containers.length);
    this.options.metrics.isolated.set(this.isolation.count());
    return {
      armed: this.armed,
      dryRun: this.dryRun,
      readOnly: this.options.readOnly,
      engines: this.inventory.engineStatuses(),
      containers: containers.map((c) => ({
        ...c,
        stats: this.stats.get(c.id),
        posture: this.posture.get(c.id),
        evidence: this.evidence.get(c.id),
        isolation: this.isolation.view(c.id),
        // By reference: the inventory replaces a ring when an event comes, never changes one.
        events: this.inventory.events(c.id),
      })),
      alerts: [...this.alerts],
      policies: this.policyResult.policies.map((p) => summarizePolicy(p, !this.disabled.has(p.id))),
      actions: [...this.actions],
      queue: this.operatorQueue.list(),
      inFlight: this.inFlightActions.size,
      policyError: this.policyError,
      ...(this.journalNotice ? { notice: this.journalNotice } : {}),
      sampler: this.sampler,
      counters: { ...this.counters },
    };
  }

  private journal(entry: JournalEntry | Record<string, unknown>): void {
    this.options.journal.append(entry as JournalEntry);
  }

  /** Stop taking alerts, let in-flight actions finish (each is bounded by its timeout), flush. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const stop of [...this.follows]) stop();
    this.operatorQueue.close();
    await Promise.allSettled([...this.inFlightActions]);
    await Promise.allSettled([...this.captures]);
    this.reconciler.close();
    this.journal({ type: 'engine', event: 'stop', isolated: this.isolation.count() });
    this.inventory.close();
    this.publisher.close();
    await this.options.journal.flush();
  }
}

/** The container as an action leaves it, for the rails of decisions made while it is in flight. */
function expectedAfter(spec: ActionSpec, container: Container): Partial<Container> | undefined {
  switch (spec.kind) {
    case 'pause':
      return { state: 'paused' };
    case 'stop':
    case 'kill':
      return { state: 'exited' };
    case 'network-disconnect':
      return {
        networks:
          spec.networks.length === 0
            ? []
            : container.networks.filter((n) => !spec.networks.includes(n.network)),
      };
    case 'quarantine':
      return {
        networks: [
          {
            network: spec.network,
            networkId: '',
            aliases: null,
            ipamConfig: null,
            links: null,
            driverOpts: null,
          },
        ],
      };
    default:
      return undefined;
  }
}

function actionResult(record: ActionRecord): CommandResult {
  return record.result === 'ok'
    ? { ok: true, message: `${record.action} ${record.container.name}: ok (${record.latency_ms} ms)`, record }
    : {
        ok: false,
        code: record.error?.startsWith('not attempted: the journal') ? 'journal-unavailable' : 'failed',
        message: `${record.action} ${record.container.name}: failed: ${record.error ?? ''}`,
      };
}

function commandFields(command: EngineCommand): Record<string, unknown> {
  const { type: _type, ...rest } = command;
  return rest;
}
