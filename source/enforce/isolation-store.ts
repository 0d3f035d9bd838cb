import type { ActionName } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type { Isolation } from '../domain/snapshot.js';
import { isIsolatingAction } from '../journal/rebuild.js';

const labelOf: Partial<Record<ActionName, string>> = {
  pause: 'PAUSED',
  stop: 'STOPPED',
  kill: 'KILLED',
  'network-disconnect': 'ISOLATED',
  quarantine: 'ISOLATED',
  throttle: 'THROTTLED',
};

/** What Brig did to each container and has not undone: what `u` restores. Survives restarts via the journal. */
export class IsolationStore {
  private readonly byContainer = new Map<string, ActionRecord[]>();

  constructor(initial?: Map<string, ActionRecord[]>) {
    for (const [id, records] of initial ?? []) if (records.length > 0) this.byContainer.set(id, [...records]);
  }

  add(record: ActionRecord): void {
    if (record.result !== 'ok' || !isIsolatingAction(record.action)) return;
    const list = this.byContainer.get(record.container.id) ?? [];
    list.push(record);
    this.byContainer.set(record.container.id, list);
  }

  get(containerId: string): ActionRecord[] {
    return this.byContainer.get(containerId) ?? [];
  }

  clear(containerId: string): void {
    this.byContainer.delete(containerId);
  }

  count(): number {
    return this.byContainer.size;
  }

  view(containerId: string): Isolation | undefined {
    const actions = this.byContainer.get(containerId);
    if (!actions || actions.length === 0) return undefined;
    const labels = [
      ...new Set(actions.map((a) => labelOf[a.action]).filter((l): l is string => l !== undefined)),
    ];
    return { actions, labels };
  }
}
