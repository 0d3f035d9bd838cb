import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { ActionKind } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type { Container } from '../domain/container.js';
import type { IntentRecord } from '../domain/journal-record.js';
import type { CommandResult } from '../domain/snapshot.js';
import type { DockerPort } from '../docker/docker-port.js';
import { undoAction } from './actions.js';
import { elapsedMs } from './dispatcher.js';
import type { Executor } from './executor.js';

export interface RestoreContext {
  executor: Executor;
  port: DockerPort;
  /** What Brig did and has not undone (successful, settled). */
  done: readonly ActionRecord[];
  /** Intents with no outcome yet for this container (Brig died mid-action, or the engine hung). */
  open: readonly IntentRecord[];
  hostMemory(): Promise<number>;
  signal: AbortSignal;
  /** Journals the restore record and applies it. */
  settle(record: ActionRecord): Promise<void>;
}

type Undoable = Pick<ActionRecord, 'id' | 'undo'> & { action: ActionKind };

/**
 * Undo everything Brig did to one container, newest first (DESIGN §6). Open intents are undone too:
 * every undo step is idempotent (unpause of a running container, reconnect of a connected network is
 * "already so"), so a change whose outcome Brig never learnt is still put back.
 */
export async function restoreContainer(ctx: RestoreContext, container: Container): Promise<CommandResult> {
  const steps: Undoable[] = [
    ...ctx.done.flatMap((r) =>
      r.action === 'restore' ? [] : [{ id: r.id, action: r.action, undo: r.undo }],
    ),
    ...ctx.open.flatMap((i) =>
      i.action === 'restore' ? [] : [{ id: i.id, action: i.action, undo: i.undo }],
    ),
  ];
  if (steps.length === 0)
    return { ok: false, code: 'nothing-to-restore', message: `${container.name}: nothing to restore` };
  const started = performance.now();
  const notes: string[] = [];
  const attempted = await ctx.executor.run(
    async (signal) => {
      notes.length = 0;
      for (const step of [...steps].reverse())
        notes.push(
          ...(await undoAction(ctx.port, container, step.action, step.undo ?? {}, ctx.hostMemory, signal)),
        );
    },
    undefined,
    ctx.signal,
  );
  const record: ActionRecord = {
    id: randomUUID(),
    alert: null,
    policy: null,
    container: { id: container.id, name: container.name },
    engine: container.engine,
    action: 'restore',
    result: attempted.ok ? 'ok' : 'failed',
    attempts: attempted.attempts,
    latency_ms: elapsedMs(started),
    ...(attempted.ok ? {} : { error: attempted.error.message }),
    ...(notes.length > 0 && attempted.ok ? { error: notes.join('; '), note: notes.join('; ') } : {}),
    restored: steps.map((r) => r.id),
    origin: 'restore',
    ts: new Date().toISOString(),
  };
  await ctx.settle(record);
  const names = [...new Set(steps.map((r) => r.action))].join(', ');
  return attempted.ok
    ? {
        ok: true,
        message: `${container.name}: restored ${names}${notes.length ? ` (${notes.join('; ')})` : ''}`,
        record,
      }
    : { ok: false, code: 'failed', message: `${container.name}: restore failed: ${attempted.error.message}` };
}
