import type { Container } from '../domain/container.js';
import type { IntentRecord } from '../domain/journal-record.js';

export interface IntentEffect {
  /** The container is in the action's effect state: Brig's change is there to be undone. */
  applied: boolean;
  /** In words, for the settling action record. */
  reason: string;
}

/**
 * Pure: was an intent's action carried out, judged from the container as Docker has it now
 * (DESIGN §6). Used at start for intents with no outcome, and when an engine that timed out answers.
 * Where the evidence is partial (one network of two disconnected), it counts as applied: restore is
 * idempotent, so a restorable container that needed nothing is harmless, an orphaned change is not.
 */
export function intentEffect(intent: IntentRecord, now: Container | undefined): IntentEffect {
  if (!now) return { applied: false, reason: 'the container no longer exists' };
  const spec = intent.spec;
  switch (spec.kind) {
    case 'pause':
      return now.state === 'paused'
        ? { applied: true, reason: 'found paused' }
        : { applied: false, reason: `found ${now.state}, not paused` };
    case 'stop':
    case 'kill': {
      const down = now.state !== 'running' && now.state !== 'paused' && now.state !== 'restarting';
      const wasUp = intent.undo.priorState === undefined || intent.undo.priorState !== now.state;
      return down && wasUp
        ? { applied: true, reason: `found ${now.state}` }
        : { applied: false, reason: `found ${now.state}` };
    }
    case 'network-disconnect': {
      const gone = (intent.undo.endpoints ?? []).filter(
        (ep) => !now.networks.some((n) => n.network === ep.network),
      );
      return gone.length > 0
        ? { applied: true, reason: `found disconnected from ${gone.map((e) => e.network).join(', ')}` }
        : { applied: false, reason: 'found still connected to every recorded network' };
    }
    case 'quarantine': {
      const inQuarantine = now.networks.some((n) => n.network === spec.network);
      const gone = (intent.undo.endpoints ?? []).filter(
        (ep) => !now.networks.some((n) => n.network === ep.network),
      );
      return inQuarantine || gone.length > 0
        ? {
            applied: true,
            reason: inQuarantine
              ? `found in ${spec.network}`
              : `found disconnected from ${gone.map((e) => e.network).join(', ')}`,
          }
        : { applied: false, reason: 'found on its own networks, not in quarantine' };
    }
    case 'throttle': {
      const old = intent.undo.limits;
      if (!old) return { applied: false, reason: 'no recorded limits' };
      const l = now.limits;
      const changed =
        l.nanoCpus !== old.nanoCpus ||
        l.cpuQuota !== old.cpuQuota ||
        l.pidsLimit !== old.pidsLimit ||
        l.memory !== old.memory;
      return changed
        ? { applied: true, reason: 'found with changed limits' }
        : { applied: false, reason: 'found with its old limits' };
    }
    case 'restart':
    case 'notify':
    case 'capture':
      return { applied: false, reason: `${spec.kind} leaves nothing to undo` };
  }
}
