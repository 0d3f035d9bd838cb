import type { ActionName } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type { IntentRecord, JournalEntry, JournalRecord } from '../domain/journal-record.js';
import { AlertMemory, type SerializedAlertMemory } from '../enforce/alert-memory.js';

export { defaultJournalPath } from './journal-path.js';

/** What Brig had done and decided before it (re)started, as far as the journal tells (DESIGN §6, §7). */
export interface RebuiltState {
  /** Successful isolating actions not yet restored, oldest first, by container id. */
  isolation: Map<string, ActionRecord[]>;
  /** Successful policy actions, oldest first: what cooldown, rate limits and escalation count. */
  history: { policy: string; container: string; at: number }[];
  /** The operator's last arm/disarm, if any. Brig still starts disarmed unless told otherwise. */
  armed: boolean | undefined;
  disabledPolicies: Set<string>;
  /**
   * Write-ahead intents with no settling outcome (DESIGN §6), by intent id: Brig died or the engine
   * hung between the intent and Docker's answer. Reconciled by inspecting the container.
   */
  openIntents: Map<string, IntentRecord>;
  /** The operator's answers (restored, skipped, vetoed) by alert identity, until the alert resolves. */
  answered: AlertMemory;
}

/** Actions that leave something to undo. Restart leaves nothing; kill and stop are undone by a start. */
const nonIsolating: ReadonlySet<ActionName> = new Set<ActionName>([
  'notify',
  'restart',
  'restore',
  'capture',
]);

export function isIsolatingAction(action: ActionName): boolean {
  return !nonIsolating.has(action);
}

export function emptyState(): RebuiltState {
  return {
    isolation: new Map(),
    history: [],
    armed: undefined,
    disabledPolicies: new Set(),
    openIntents: new Map(),
    answered: new AlertMemory(),
  };
}

/** Pure: the state the records leave behind, read in order. Unknown records are passed over. */
export function rebuildState(records: readonly JournalRecord[]): RebuiltState {
  const state = emptyState();
  for (const record of records) applyRecord(state, record);
  return state;
}

/**
 * Folds one record into `state` (mutating it): the journal keeps its state current this way, so that a
 * rotation can write it out without reading anything back. Tolerates records it does not know.
 */
export function applyRecord(state: RebuiltState, record: JournalRecord): void {
  const r = record as unknown as Record<string, unknown>;
  switch (r.type) {
    case 'intent':
      state.openIntents.set((record as IntentRecord).id, record as IntentRecord);
      return;
    case 'action':
      applyAction(state, record as Extract<JournalRecord, { type: 'action' }>);
      return;
    case 'operator':
      applyOperator(state, r);
      return;
    case 'decision':
      // A queued decision (approval, proposal, grace): skip and veto will name only its id.
      if (typeof r.decision_id === 'string' && typeof r.alert === 'string')
        state.answered.trackQueued(r.decision_id, r.alert);
      return;
    case 'resolved':
      if (typeof r.alert === 'string') state.answered.forget(r.alert);
      return;
    case 'engine':
      if (r.event === 'rotated' && r.state !== undefined) {
        const carried = deserializeState(r.state);
        if (carried) replaceState(state, carried);
      }
      return;
    default:
      return;
  }
}

function applyAction(state: RebuiltState, record: Extract<JournalRecord, { type: 'action' }>): void {
  // An outcome settles its intent, unless it says the effect is unknown (timeout, engine unreachable).
  if (typeof record.intent === 'string' && record.unsettled !== true) state.openIntents.delete(record.intent);
  const containerId = record.container?.id;
  if (record.result !== 'ok' || typeof containerId !== 'string') return;
  if (record.action === 'restore') {
    // A restore names what it undid; one that names nothing undid everything on that container.
    const undone = new Set(record.restored ?? []);
    answerRestored(state, record, (a) => (record.restored ? undone.has(a.id) : true));
    if (!Array.isArray(record.restored)) {
      state.isolation.delete(containerId);
      return;
    }
    // A restore may have undone an intent that never got its outcome (Brig died mid-action).
    for (const id of undone) state.openIntents.delete(id);
    for (const [id, actions] of state.isolation) {
      const left = actions.filter((a) => !undone.has(a.id));
      if (left.length === 0) state.isolation.delete(id);
      else if (left.length !== actions.length) state.isolation.set(id, left);
    }
    return;
  }
  if (typeof record.policy === 'string') {
    const at = Date.parse(record.ts);
    if (Number.isFinite(at)) state.history.push({ policy: record.policy, container: containerId, at });
  }
  if (isIsolatingAction(record.action)) {
    const list = state.isolation.get(containerId) ?? [];
    list.push(toActionRecord(record));
    state.isolation.set(containerId, list);
  }
}

/** The alerts whose actions a restore undid: the operator's answer to them is "restored". */
function answerRestored(
  state: RebuiltState,
  record: Extract<JournalRecord, { type: 'action' }>,
  undid: (action: { id: string }) => boolean,
): void {
  const at = Date.parse(record.ts);
  const scope: { id: string; alert: string | null }[] = Array.isArray(record.restored)
    ? [...state.isolation.values()].flat()
    : (state.isolation.get(record.container.id) ?? []);
  // An intent Brig died in the middle of, restored as it was found, answers its alert too.
  if (Array.isArray(record.restored)) scope.push(...state.openIntents.values());
  for (const action of scope)
    if (action.alert !== null && undid(action)) state.answered.answer(action.alert, 'restored', at);
}

function applyOperator(state: RebuiltState, r: Record<string, unknown>): void {
  switch (r.command) {
    case 'skip':
    case 'veto': {
      // The engine journals skip/veto with the queue id; `alert` too when it knows it.
      if (r.ok === false) return;
      const at = typeof r.ts === 'string' ? Date.parse(r.ts) : NaN;
      const answer = r.command === 'veto' ? 'vetoed' : 'skipped';
      if (typeof r.alert === 'string') state.answered.answer(r.alert, answer, at);
      else if (typeof r.id === 'string') state.answered.answerQueued(r.id, answer, at);
      return;
    }
    case 'arm':
      state.armed = true;
      return;
    case 'disarm':
      state.armed = false;
      return;
    case 'set-policy-enabled':
    case 'enable-policy':
    case 'disable-policy': {
      const id = typeof r.id === 'string' ? r.id : typeof r.policy === 'string' ? r.policy : undefined;
      if (id === undefined) return;
      const enabled =
        r.command === 'set-policy-enabled' ? r.enabled !== false : r.command === 'enable-policy';
      if (enabled) state.disabledPolicies.delete(id);
      else state.disabledPolicies.add(id);
      return;
    }
    default:
      return;
  }
}

/** An `action` journal record back to the ActionRecord the engine works with (the record's ts is kept). */
export function toActionRecord(record: Extract<JournalRecord, { type: 'action' }>): ActionRecord {
  const { v: _v, type: _type, ...rest } = record;
  return rest;
}

/** The journal entry for an ActionRecord: its fields plus type; the journal stamps v and ts. */
export function actionEntry(record: ActionRecord): Extract<JournalEntry, { type: 'action' }> {
  const { ts: _ts, ...rest } = record;
  return { type: 'action', ...rest };
}

/** How a rotated journal's first record carries the state forward (plain JSON). */
export interface SerializedState {
  isolation: Record<string, ActionRecord[]>;
  history: { policy: string; container: string; at: number }[];
  armed?: boolean;
  disabledPolicies: string[];
  openIntents?: IntentRecord[];
  answered?: SerializedAlertMemory;
}

/**
 * History kept across a rotation: everything from the last 24 hours (rate limits count one hour), and
 * the newest entries of each (policy, container) pair, enough for cooldowns and escalation ladders.
 */
const historyWindowMs = 24 * 60 * 60 * 1000;
const historyPerPair = 16;

export function serializeState(state: RebuiltState, now: number): SerializedState {
  const perPair = new Map<string, number>();
  const history: SerializedState['history'] = [];
  for (let i = state.history.length - 1; i >= 0; i--) {
    const entry = state.history[i]!;
    const key = `${entry.policy}\u0000${entry.container}`;
    const seen = perPair.get(key) ?? 0;
    perPair.set(key, seen + 1);
    if (seen < historyPerPair || entry.at >= now - historyWindowMs) history.push(entry);
  }
  history.reverse();
  return {
    isolation: Object.fromEntries(state.isolation),
    history,
    ...(state.armed === undefined ? {} : { armed: state.armed }),
    disabledPolicies: [...state.disabledPolicies],
    openIntents: [...state.openIntents.values()],
    answered: state.answered.serialize(now),
  };
}

/** Defensive: a hand-edited or newer journal may carry something else; then nothing is replaced. */
export function deserializeState(value: unknown): RebuiltState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<SerializedState>;
  const state = emptyState();
  if (typeof v.isolation === 'object' && v.isolation !== null) {
    for (const [id, actions] of Object.entries(v.isolation)) {
      if (Array.isArray(actions) && actions.length > 0) state.isolation.set(id, [...actions]);
    }
  }
  if (Array.isArray(v.history)) {
    state.history = v.history.filter(
      (h) => typeof h?.policy === 'string' && typeof h.container === 'string' && typeof h.at === 'number',
    );
  }
  if (typeof v.armed === 'boolean') state.armed = v.armed;
  if (Array.isArray(v.openIntents)) {
    for (const intent of v.openIntents)
      if (typeof intent?.id === 'string' && typeof intent.container?.id === 'string')
        state.openIntents.set(intent.id, intent);
  }
  if (Array.isArray(v.disabledPolicies))
    state.disabledPolicies = new Set(v.disabledPolicies.filter((p) => typeof p === 'string'));
  if (v.answered !== undefined) state.answered = AlertMemory.deserialize(v.answered);
  return state;
}

function replaceState(target: RebuiltState, source: RebuiltState): void {
  target.isolation = source.isolation;
  target.history = source.history;
  target.armed = source.armed;
  target.disabledPolicies = source.disabledPolicies;
  target.openIntents = source.openIntents;
  target.answered = source.answered;
}
