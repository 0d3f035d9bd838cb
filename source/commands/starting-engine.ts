import { emptySnapshot } from '../domain/empty-snapshot.js';
import type {
  CommandResult,
  EngineCommand,
  EngineHandle,
  EngineSnapshot,
  InspectResult,
} from '../domain/snapshot.js';
import type { FollowLogsOptions, LogEvent } from '../domain/log-line.js';

/**
 * The engine as the TUI sees it while Brig is still starting: a placeholder snapshot (engines
 * connecting, nothing listed yet) so the first frame is drawn before the Engine API client and the
 * engine are even loaded; then the real engine, once attached. Warnings that arrive meanwhile (no
 * policy directory, a torn journal line) become the snapshot's notice instead of text written over
 * the screen.
 */
export class StartingEngine implements EngineHandle {
  private engine: EngineHandle | undefined;
  private notice: string | undefined;
  private placeholder: EngineSnapshot;
  /** The last engine snapshot seen and what it became with the notice: views need stable objects. */
  private derived: { from: EngineSnapshot; notice: string | undefined; to: EngineSnapshot } | undefined;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(hosts: readonly string[], readOnly: boolean, dryRun: boolean) {
    this.placeholder = emptySnapshot({
      dryRun,
      readOnly,
      engines: hosts.map((host) => ({ host, up: false, error: 'connecting…' })),
    });
  }

  attach(engine: EngineHandle): void {
    this.engine = engine;
    this.unsubscribe = engine.subscribe(() => this.emit());
    this.emit();
  }

  warn(message: string): void {
    this.notice = message.replace(/^brig: /, '');
    this.placeholder = { ...this.placeholder, notice: this.notice };
    this.emit();
  }

  getSnapshot(): EngineSnapshot {
    if (!this.engine) return this.placeholder;
    const from = this.engine.getSnapshot();
    const notice = from.notice ?? this.notice;
    if (notice === undefined) return from;
    if (this.derived?.from !== from || this.derived.notice !== notice) {
      this.derived = { from, notice, to: { ...from, notice } };
    }
    return this.derived.to;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(command: EngineCommand): Promise<CommandResult> {
    if (!this.engine)
      return Promise.resolve({ ok: false, message: 'Brig is still starting: try again in a moment' });
    return this.engine.send(command);
  }

  inspectContainer(container: string): Promise<InspectResult> {
    if (!this.engine)
      return Promise.resolve({ ok: false, message: 'Brig is still starting: try again in a moment' });
    return this.engine.inspectContainer(container);
  }

  followLogs(container: string, options: FollowLogsOptions, listener: (event: LogEvent) => void): () => void {
    if (this.engine) return this.engine.followLogs(container, options, listener);
    queueMicrotask(() =>
      listener({ type: 'end', error: true, message: 'logs: Brig is still starting: try again in a moment' }),
    );
    return () => undefined;
  }

  close(): void {
    this.unsubscribe?.();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
