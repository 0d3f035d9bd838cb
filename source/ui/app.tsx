import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ActionSpec } from '../domain/action.js';
import type { ActionRecord } from '../domain/action-record.js';
import type {
  AlertView,
  CommandResult,
  ContainerView,
  EngineCommand,
  EngineHandle,
  PolicySummary,
  QueueItem,
} from '../domain/snapshot.js';
import { outcomeKey, withOutcomes, type LocalOutcomes } from './alert-outcomes.js';
import { copyToClipboard } from './clipboard.js';
import { coalescedStore } from './coalesced-store.js';
import { containerSorts, sortContainers, type ContainerSort } from './container-sort.js';
import {
  actionDetails,
  alertDetails,
  containerDetails,
  policyDetails,
  queueItemLines,
  undoText,
  type DetailLine,
} from './details.js';
import { Footer, type StatusMessage } from './footer.js';
import { fit, shortId, wrapCells } from './format.js';
import { Header } from './header.js';
import {
  actionFor,
  isKeyRun,
  keyLabel,
  keyNameOf,
  keyOf,
  scrollHint,
  stepperHint,
  keysLabel,
  splitKeys,
  visibleBindings,
  type KeyBinding,
} from './keymap.js';
import { layoutFor, minColumns, minRows } from './layout.js';
import { LogsView, type LogsKeys } from './logs-view.js';
import { clampIndex, listWindow } from './list-window.js';
import { Overlay } from './overlay.js';
import { Pane } from './pane.js';
import {
  actionRow,
  alertRow,
  containerRow,
  paneColumns,
  paneOrder,
  paneTitles,
  policyRow,
  type PaneId,
  type PaneRow,
} from './pane-rows.js';
import { useTheme } from './theme.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  handle: EngineHandle;
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  /** Shown on the status line at start (e.g. `[keys]` override errors). */
  initialStatus?: StatusMessage;
  /** Snapshot coalescing interval (DESIGN §10: ≤ 10 a second). */
  coalesceMs?: number;
}

type Overlay =
  | { kind: 'help'; scroll: number }
  | { kind: 'details'; pane: PaneId; key: string; scroll: number }
  | { kind: 'stepper'; index: number }
  | { kind: 'confirm'; title: string; lines: DetailLine[]; onYes: () => void }
  | { kind: 'logs'; container: string; name: string; around?: string };

interface PaneItem {
  key: string;
  container?: ContainerView;
  alert?: AlertView;
  policy?: PolicySummary;
  action?: ActionRecord;
}

const statusMs = 6000;

const manualSpecs: Record<string, { verb: string; spec: ActionSpec }> = {
  pause: { verb: 'Pause', spec: { kind: 'pause' } },
  stop: { verb: 'Stop', spec: { kind: 'stop', timeoutSecs: 10 } },
  kill: { verb: 'Kill', spec: { kind: 'kill', signal: 'SIGKILL' } },
  isolate: {
    verb: 'Network-isolate (disconnect from every network)',
    spec: { kind: 'network-disconnect', networks: [] },
  },
};

export function App({ handle, keymap, readOnly: readOnlyFlag, initialStatus, coalesceMs = 100 }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const theme = useTheme();
  const store = useMemo(() => coalescedStore(handle, coalesceMs, coalesceMs * 20), [handle, coalesceMs]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const readOnly = readOnlyFlag || snapshot.readOnly;

  const [focus, setFocus] = useState<PaneId>('containers');
  const [selection, setSelection] = useState<Record<PaneId, { key?: string; index: number }>>({
    containers: { index: 0 },
    alerts: { index: 0 },
    policies: { index: 0 },
    actions: { index: 0 },
  });
  const [filters, setFilters] = useState<Record<PaneId, string>>({
    containers: '',
    alerts: '',
    policies: '',
    actions: '',
  });
  const [editingFilter, setEditingFilter] = useState(false);
  const [zoom, setZoom] = useState(false);
  const [overlay, setOverlay] = useState<Overlay | undefined>();
  const [status, setStatus] = useState<StatusMessage | undefined>(initialStatus);
  const offsets = useRef<Record<PaneId, number>>({ containers: 0, alerts: 0, policies: 0, actions: 0 });
  const sentQueueIds = useRef(new Set<string>());
  const logsKeys = useRef<LogsKeys>(null);

  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(undefined), statusMs);
    return () => clearTimeout(timer);
  }, [status]);

  // What the operator did here to queued decisions (skip, veto): the verdict column shows it even
  // when the engine's snapshot does not say what became of a decision.
  const [localOutcomes, setLocalOutcomes] = useState<LocalOutcomes>(() => new Map());
  const [sortBy, setSortBy] = useState<ContainerSort>('name');
  // Sorted once per snapshot array: containers by the chosen order, alerts and actions newest
  // first, policies in evaluation order.
  const sorted = useMemo(
    () => ({
      containers: sortContainers(snapshot.containers, sortBy),
      alerts: newestFirst(
        withOutcomes(snapshot.alerts, snapshot.queue, snapshot.actions, localOutcomes),
        (a) => a.alert.time,
      ),
      policies: [...snapshot.policies].sort((a, b) => a.priority - b.priority || a.id.localeCompare(b.id)),
      actions: newestFirst(snapshot.actions, (r) => r.ts),
    }),
    [
      snapshot.containers,
      snapshot.alerts,
      snapshot.policies,
      snapshot.actions,
      snapshot.queue,
      localOutcomes,
      sortBy,
    ],
  );
  const unfiltered = useMemo<Record<PaneId, PaneItem[]>>(
    () => ({
      containers: sorted.containers.map((c) => ({ key: c.id, container: c })),
      alerts: sorted.alerts.map((a) => ({ key: a.alert.id, alert: a })),
      policies: sorted.policies.map((p) => ({ key: p.id, policy: p })),
      actions: sorted.actions.map((r) => ({ key: r.id, action: r })),
    }),
    [sorted],
  );
  const items = useMemo(() => {
    const out = {} as Record<PaneId, PaneItem[]>;
    for (const pane of paneOrder) {
      const needle = filters[pane].toLowerCase();
      out[pane] = needle
        ? unfiltered[pane].filter((i) => rowOf(i).search.includes(needle))
        : unfiltered[pane];
    }
    return out;
  }, [unfiltered, filters]);

  const selectedIndex = (pane: PaneId): number => {
    const sel = selection[pane];
    const list = items[pane];
    const byKey = sel.key === undefined ? -1 : list.findIndex((i) => i.key === sel.key);
    return byKey >= 0 ? byKey : clampIndex(sel.index, list.length);
  };
  const selectedItem = (pane: PaneId = focus): PaneItem | undefined => items[pane][selectedIndex(pane)];

  const layout = layoutFor(columns, rows, zoom, focus);
  const listHeight = (pane: PaneId) =>
    Math.max(1, (layout.panes.find((p) => p.id === pane)?.height ?? layout.body) - 3);

  // Notes (refusals, hints, "not done") carry no ok/failed word: nothing was attempted.
  const k = (action: string, context: KeyBinding['context'] = 'main') => keyOf(keymap, action, context);
  const say = useCallback((text: string) => setStatus({ text }), []);
  const send = useCallback(
    async (command: EngineCommand) => {
      let result: CommandResult;
      try {
        result = await handle.send(command);
      } catch (error) {
        result = { ok: false, message: `${command.type}: ${(error as Error).message}` };
      }
      setStatus({ text: result.message || command.type, ok: result.ok });
      return result.ok;
    },
    [handle],
  );
  const noteOutcome = (item: QueueItem, state: 'skipped' | 'vetoed') =>
    setLocalOutcomes((m) =>
      new Map(m).set(outcomeKey(item.alert.id, item.decision.policy), {
        state,
        by: 'operator',
        at: new Date().toISOString(),
      }),
    );

  const move = (delta: number | 'top' | 'bottom') => {
    const list = items[focus];
    const current = selectedIndex(focus);
    const index = clampIndex(
      delta === 'top' ? 0 : delta === 'bottom' ? list.length - 1 : current + delta,
      list.length,
    );
    setSelection((s) => ({ ...s, [focus]: { key: list[index]?.key, index } }));
  };

  /** The container the operator means: the selected one, or the one the selected alert/action names. */
  const selectedContainer = (): ContainerView | undefined => {
    const item = selectedItem();
    if (!item) return undefined;
    if (item.container) return item.container;
    const id = item.alert?.decisions.find((d) => d.container)?.container?.id ?? item.action?.container.id;
    if (id) return snapshot.containers.find((c) => c.id === id);
    const ref = item.alert?.alert.container;
    return ref ? snapshot.containers.find((c) => c.id === ref.id || c.name === ref.name) : undefined;
  };

  const confirm = (title: string, lines: DetailLine[], onYes: () => void) =>
    setOverlay({ kind: 'confirm', title, lines, onYes });

  const requestQuit = () => {
    if (snapshot.inFlight > 0)
      confirm(
        `Quit with ${snapshot.inFlight} action(s) in flight?`,
        [
          {
            text: 'Actions still running are finished by the engine as it shuts down; the journal records them.',
          },
        ],
        () => exit(),
      );
    else exit();
  };

  const graceItemForSelection = () => {
    const graces = snapshot.queue.filter((q) => q.kind === 'grace');
    const item = selectedItem();
    const byAlert = item?.alert ? graces.find((q) => q.alert.id === item.alert!.alert.id) : undefined;
    const byContainer = item?.container
      ? graces.find((q) => q.decision.container?.id === item.container!.id)
      : undefined;
    return byAlert ?? byContainer ?? (graces.length === 1 ? graces[0] : undefined);
  };

  const runMain = (binding: KeyBinding) => {
    if (binding.acting && readOnly) {
      say(`read-only: ${binding.action} is disabled (started with --read-only)`);
      return;
    }
    const container = () => {
      const c = selectedContainer();
      if (!c) say('select a container first (Containers pane, or an alert or action that names one)');
      return c;
    };
    switch (binding.action) {
      case 'focus-next':
      case 'focus-previous': {
        const step = binding.action === 'focus-next' ? 1 : paneOrder.length - 1;
        setFocus(paneOrder[(paneOrder.indexOf(focus) + step) % paneOrder.length]!);
        return;
      }
      case 'focus-containers':
        return setFocus('containers');
      case 'focus-alerts':
        return setFocus('alerts');
      case 'focus-policies':
        return setFocus('policies');
      case 'focus-actions':
        return setFocus('actions');
      case 'down':
        return move(1);
      case 'up':
        return move(-1);
      case 'top':
        return move('top');
      case 'bottom':
        return move('bottom');
      case 'page-down':
        return move(listHeight(focus));
      case 'page-up':
        return move(-listHeight(focus));
      case 'details': {
        const item = selectedItem();
        if (item) setOverlay({ kind: 'details', pane: focus, key: item.key, scroll: 0 });
        return;
      }
      case 'filter':
        return setEditingFilter(true);
      case 'clear':
        if (filters[focus]) setFilters((f) => ({ ...f, [focus]: '' }));
        else if (zoom) setZoom(false);
        return;
      case 'arm':
        if (snapshot.armed) void send({ type: 'disarm' });
        else
          confirm(
            'Arm auto-isolate?',
            [
              {
                text: 'Brig will then act on its decisions by itself: pause, stop, kill, isolate, throttle.',
              },
              { text: `Policies loaded: ${snapshot.policies.filter((p) => p.enabled).length} enabled.` },
              { text: `Disarm at any time with ${k('arm')} (instant, no question).` },
            ],
            () => void send({ type: 'arm' }),
          );
        return;
      case 'dry-run':
        void send({ type: 'set-dry-run', on: !snapshot.dryRun });
        return;
      case 'step':
        if (snapshot.queue.length === 0) say('the queue is empty: no proposals or grace countdowns');
        else setOverlay({ kind: 'stepper', index: 0 });
        return;
      case 'veto': {
        const item = graceItemForSelection();
        if (!item) say('no grace countdown selected (select its alert or container)');
        else void send({ type: 'veto', id: item.id }).then((ok) => ok && noteOutcome(item, 'vetoed'));
        return;
      }
      case 'restore': {
        const c = container();
        if (!c) return;
        const records = c.isolation?.actions ?? [];
        if (records.length === 0) {
          say(`${c.name}: Brig has recorded nothing to undo`);
          return;
        }
        confirm(
          `Restore ${c.name}?`,
          [
            { text: 'This will undo, newest first:', bold: true },
            ...[...records].reverse().map((r) => ({ text: '  ' + undoText(r) })),
          ],
          () => void send({ type: 'restore', container: c.id }),
        );
        return;
      }
      case 'pause':
      case 'stop':
      case 'kill':
      case 'isolate': {
        const c = container();
        if (!c) return;
        const manual = manualSpecs[binding.action]!;
        confirm(
          `${manual.verb} ${c.name}?`,
          [
            { text: `container ${c.name} (${c.image}), now ${c.state}` },
            { text: `Journaled as a manual action; ${k('restore')} restores it.` },
          ],
          () => void send({ type: 'manual', container: c.id, action: manual.spec }),
        );
        return;
      }
      case 'capture': {
        const c = container();
        if (!c) return;
        confirm(
          `Capture evidence of ${c.name}?`,
          [
            { text: `container ${c.name} (${c.image}), now ${c.state}` },
            {
              text: 'Processes, logs, changed files and more into a bundle; nothing in the container changes.',
            },
          ],
          () => void send({ type: 'capture', container: c.id }),
        );
        return;
      }
      case 'reload-policies':
        void send({ type: 'reload-policies' });
        return;
      case 'toggle-policy': {
        const policy = focus === 'policies' ? selectedItem()?.policy : undefined;
        if (!policy) say(`select a policy first (Policies pane: ${k('focus-policies')})`);
        else void send({ type: 'set-policy-enabled', id: policy.id, enabled: !policy.enabled });
        return;
      }
      case 'zoom':
        return setZoom((z) => !z);
      case 'sort': {
        const next = containerSorts[(containerSorts.indexOf(sortBy) + 1) % containerSorts.length]!;
        setSortBy(next);
        say(`containers sorted by ${next}`);
        return;
      }
      case 'copy': {
        const item = selectedItem();
        if (!item) return say('nothing selected to copy');
        const text = item.container
          ? item.container.id
          : item.action
            ? JSON.stringify(item.action)
            : item.alert
              ? JSON.stringify(item.alert.alert)
              : item.policy!.file;
        const what = item.container
          ? `container id ${shortId(item.container.id)}`
          : item.action
            ? `action record ${item.action.id}`
            : item.alert
              ? `alert ${item.alert.alert.id}`
              : `policy file ${item.policy!.file}`;
        copyToClipboard(stdout, text);
        say(`copied ${what} to the clipboard (OSC 52: the terminal must allow it)`);
        return;
      }
      case 'logs': {
        const c = container();
        // From an alert or an action: the lines around its time are marked.
        const around = selectedItem()?.alert?.alert.time ?? selectedItem()?.action?.ts;
        if (c) setOverlay({ kind: 'logs', container: c.id, name: c.name, ...(around ? { around } : {}) });
        return;
      }
      case 'help':
        return setOverlay({ kind: 'help', scroll: 0 });
      case 'quit':
        return requestQuit();
    }
  };

  const stepperKeys = (name: string, index: number) => {
    const binding = actionFor(keymap, 'stepper', name);
    const queue = snapshot.queue;
    const item = queue[clampIndex(index, queue.length)];
    if (!binding) return say(`${keyLabel(name)} does nothing in the queue: ${stepperHint(keymap, readOnly)}`);
    switch (binding.action) {
      case 'close':
        return setOverlay(undefined);
      case 'next-item':
        return setOverlay({ kind: 'stepper', index: clampIndex(index + 1, queue.length) });
      case 'previous-item':
        return setOverlay({ kind: 'stepper', index: clampIndex(index - 1, queue.length) });
      case 'approve':
      case 'skip':
      case 'veto-shown': {
        if (!item) return;
        if (readOnly) return say('read-only: the queue cannot be acted on');
        if (sentQueueIds.current.has(item.id)) return;
        sentQueueIds.current.add(item.id);
        const type = binding.action === 'approve' ? 'approve' : binding.action === 'skip' ? 'skip' : 'veto';
        if (type === 'veto' && item.kind !== 'grace')
          return say(`only a grace countdown can be vetoed; ${k('skip', 'stepper')} skips`);
        void send({ type, id: item.id }).then((ok) => {
          if (ok && type !== 'approve') noteOutcome(item, type === 'skip' ? 'skipped' : 'vetoed');
        });
        return;
      }
    }
  };

  const onKey = (input: string, key: Key) => {
    const name = keyNameOf(input, key);
    if (!name) return;
    if (editingFilter) {
      if (name === 'enter') setEditingFilter(false);
      else if (name === 'escape') {
        setEditingFilter(false);
        setFilters((f) => ({ ...f, [focus]: '' }));
      } else if (name === 'backspace')
        setFilters((f) => ({ ...f, [focus]: [...f[focus]].slice(0, -1).join('') }));
      else if (name === 'space') setFilters((f) => ({ ...f, [focus]: f[focus] + ' ' }));
      else if (input.length > 0 && !key.ctrl && !key.meta && [...input].every((ch) => ch >= ' '))
        setFilters((f) => ({ ...f, [focus]: f[focus] + input }));
      else if (name === 'ctrl-c') requestQuit();
      return;
    }
    switch (overlay?.kind) {
      case 'confirm': {
        // Anything but the yes key is a No: the default is always the safe answer.
        setOverlay(undefined);
        if (actionFor(keymap, 'confirm', name)?.action === 'confirm-yes') overlay.onYes();
        else say(`not done: ${overlay.title}`);
        return;
      }
      case 'help':
      case 'details': {
        const binding = actionFor(keymap, 'main', name);
        const step = { down: 1, up: -1, 'page-down': 10, 'page-up': -10 }[binding?.action ?? ''];
        if (step !== undefined) setOverlay({ ...overlay, scroll: Math.max(0, overlay.scroll + step) });
        else if (binding?.action === 'top') setOverlay({ ...overlay, scroll: 0 });
        else if (name === 'ctrl-c') requestQuit();
        else setOverlay(undefined);
        return;
      }
      case 'stepper':
        if (name === 'ctrl-c') return requestQuit();
        return stepperKeys(name, overlay.index);
      case 'logs':
        if (name === 'ctrl-c') return requestQuit();
        if (logsKeys.current?.key(name, input) === 'close') setOverlay(undefined);
        return;
    }
    if (layout.kind === 'too-small') {
      const binding = actionFor(keymap, 'main', name);
      if (binding?.action === 'quit') requestQuit();
      return;
    }
    const binding = actionFor(keymap, 'main', name);
    if (binding) runMain(binding);
    else say(`${keyLabel(name)} does nothing here: ${k('help')} lists the keys`);
  };
  // Ink re-subscribes the handler in an effect, which can run after the next key arrives; a ref
  // makes every key see the state of the frame the operator is looking at.
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  // Every key goes through one queue, applied one per render, each seeing the state the previous one
  // left: Ink hands keys of one read (a held arrow, `send-keys Down Down Down`, a paste) over in the
  // same tick, and handling them there would apply them all to the same stale frame.
  const pendingKeys = useRef<Array<[string, Key]>>([]);
  const [, setReplay] = useState(0);
  const stableOnKey = useCallback((input: string, key: Key) => {
    if (isKeyRun(input, key)) pendingKeys.current.push(...splitKeys(input));
    else pendingKeys.current.push([input, key]);
    setReplay((n) => n + 1);
  }, []);
  useEffect(() => {
    const next = pendingKeys.current.shift();
    if (!next) return;
    onKeyRef.current(next[0], next[1]);
    setReplay((n) => n + 1);
  });
  useInput(stableOnKey);

  // Close the stepper when its queue empties; say so.
  useEffect(() => {
    if (overlay?.kind === 'stepper' && snapshot.queue.length === 0) {
      setOverlay(undefined);
      say('queue done: nothing left to step through');
    }
  }, [overlay, snapshot.queue.length, say]);

  if (layout.kind === 'too-small')
    return (
      <Box width={columns} height={rows} overflow="hidden" flexDirection="column">
        {wrapCells(
          `terminal too small: ${columns}×${rows}, Brig needs ${minColumns}×${minRows} (${k('quit')} quits)`,
          columns,
        )
          .slice(0, rows)
          .map((line, i) => (
            <Text key={i} wrap="truncate">
              {fit(line, columns)}
            </Text>
          ))}
      </Box>
    );

  const body = (() => {
    if (overlay?.kind === 'confirm')
      return (
        <Overlay
          title={overlay.title}
          lines={overlay.lines}
          width={columns}
          height={layout.body}
          hint={`${keysLabel(keymap.find((k) => k.action === 'confirm-yes')!)} yes  ·  anything else: No (default)`}
        />
      );
    if (overlay?.kind === 'help')
      return (
        <HelpOverlay
          keymap={keymap}
          readOnly={readOnly}
          width={columns}
          height={layout.body}
          scroll={overlay.scroll}
        />
      );
    if (overlay?.kind === 'details') {
      const item =
        items[overlay.pane].find((i) => i.key === overlay.key) ??
        unfiltered[overlay.pane].find((i) => i.key === overlay.key);
      const lines = !item
        ? [{ text: 'gone: this row is no longer in the snapshot' }]
        : item.container
          ? containerDetails(item.container, columns)
          : item.alert
            ? alertDetails(item.alert)
            : item.policy
              ? policyDetails(item.policy)
              : actionDetails(item.action!);
      return (
        <Overlay
          title={`Details: ${paneTitles[overlay.pane]}`}
          lines={lines}
          width={columns}
          height={layout.body}
          scroll={overlay.scroll}
          hint={scrollHint(keymap)}
        />
      );
    }
    if (overlay?.kind === 'logs')
      return (
        <LogsView
          ref={logsKeys}
          handle={handle}
          keymap={keymap}
          container={overlay.container}
          name={overlay.name}
          around={overlay.around}
          width={columns}
          height={layout.body}
        />
      );
    if (overlay?.kind === 'stepper')
      return (
        <Stepper
          snapshotQueue={snapshot.queue}
          index={overlay.index}
          width={columns}
          height={layout.body}
          readOnly={readOnly}
          keymap={keymap}
        />
      );
    return layout.grid.map((line, r) => (
      <Box key={r} flexDirection="row" height={line[0]?.height ?? 0}>
        {line.map((p) => {
          const list = items[p.id];
          const index = selectedIndex(p.id);
          const window = listWindow(offsets.current[p.id], index, list.length, Math.max(0, p.height - 3));
          offsets.current[p.id] = window.offset;
          return (
            <Pane
              key={p.id}
              number={paneOrder.indexOf(p.id) + 1}
              title={p.id === 'containers' ? `${paneTitles[p.id]} by ${sortBy}` : paneTitles[p.id]}
              focused={p.id === focus}
              width={p.width}
              height={p.height}
              columns={paneColumns[p.id]}
              rows={list.slice(window.offset, window.end).map(rowOf)}
              count={list.length}
              total={unfiltered[p.id].length}
              selected={index}
              offset={window.offset}
              filter={filters[p.id]}
              editingFilter={editingFilter && p.id === focus}
              emptyText={emptyText(p.id, filters[p.id])}
            />
          );
        })}
      </Box>
    ));
  })();

  return (
    <Box flexDirection="column" width={columns} height={rows} overflow="hidden">
      <Header snapshot={snapshot} width={columns} readOnly={readOnly} />
      {layout.kind === 'compact' ? (
        <TabBar focus={focus} width={columns} highlight={theme.color('focus')} />
      ) : null}
      <Box width={columns} height={layout.body} overflow="hidden" flexDirection="column">
        {body}
      </Box>
      <Footer
        keymap={keymap}
        readOnly={readOnly}
        width={columns}
        status={
          status ??
          (snapshot.policyError
            ? { text: `policies: ${snapshot.policyError}`, ok: false }
            : snapshot.notice
              ? { text: snapshot.notice, ok: false }
              : undefined)
        }
        filterPrompt={editingFilter ? filters[focus] : undefined}
      />
    </Box>
  );
}

/** Newest first, each time parsed once (a flood brings hundreds of alerts per snapshot). */
function newestFirst<T>(items: readonly T[], timeOf: (item: T) => string): T[] {
  return items
    .map((item, index) => ({ item, index, t: Date.parse(timeOf(item)) || 0 }))
    .sort((a, b) => b.t - a.t || b.index - a.index)
    .map((entry) => entry.item);
}

/** Rows are built only for what is on screen (and for all rows while a filter is searching). */
function rowOf(item: PaneItem): PaneRow {
  if (item.container) return containerRow(item.container);
  if (item.alert) return alertRow(item.alert);
  if (item.policy) return policyRow(item.policy);
  return actionRow(item.action!);
}

function emptyText(pane: PaneId, filter: string): string {
  if (filter) return `nothing matches /${filter} (Esc clears)`;
  return {
    containers: 'no containers',
    alerts: 'no alerts yet',
    policies: 'no policies loaded',
    actions: 'no actions yet',
  }[pane];
}

function TabBar({
  focus,
  width,
  highlight,
}: {
  focus: PaneId;
  width: number;
  highlight: string | undefined;
}) {
  return (
    <Text wrap="truncate">
      {paneOrder.map((id, i) => (
        <Text key={id} bold={id === focus} color={id === focus ? highlight : undefined}>
          {id === focus ? ` [${i + 1} ${paneTitles[id]}]` : `  ${i + 1} ${paneTitles[id]} `}
        </Text>
      ))}
      {' '.repeat(Math.max(0, width - 60))}
    </Text>
  );
}

function HelpOverlay(props: {
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  width: number;
  height: number;
  scroll: number;
}) {
  const shown = visibleBindings(props.keymap, props.readOnly);
  const section = (title: string, context: KeyBinding['context']): DetailLine[] => [
    { text: title, bold: true },
    ...shown
      .filter((k) => k.context === context)
      .map((k) => ({ text: `  ${fit(keysLabel(k), 16)} ${k.description}` })),
  ];
  const lines = [
    // First: with the logs keys the list is longer than most screens.
    ...(props.readOnly ? [{ text: 'read-only: acting keys are hidden and refused', bold: true }] : []),
    ...section('Keys', 'main'),
    ...section(`In the queue stepper (${keyOf(props.keymap, 'step')})`, 'stepper'),
    ...section('In a confirm prompt', 'confirm'),
    ...section(`In the logs view (${keyOf(props.keymap, 'logs')})`, 'logs'),
  ];
  return (
    <Overlay
      title="Help"
      lines={lines}
      width={props.width}
      height={props.height}
      scroll={props.scroll}
      hint={scrollHint(props.keymap)}
    />
  );
}

function Stepper(props: {
  snapshotQueue: EngineSnapshotQueue;
  index: number;
  width: number;
  height: number;
  readOnly: boolean;
  keymap: readonly KeyBinding[];
}) {
  // Ticks every second so grace countdowns are visibly counting.
  const now = useNow(1000);
  const queue = props.snapshotQueue;
  const index = clampIndex(props.index, queue.length);
  const item = queue[index];
  const hint = stepperHint(props.keymap, props.readOnly);
  return (
    <Overlay
      title={`Queue ${queue.length === 0 ? 0 : index + 1}/${queue.length}`}
      lines={item ? queueItemLines(item, now) : [{ text: 'the queue is empty' }]}
      width={props.width}
      height={props.height}
      hint={hint}
    />
  );
}

type EngineSnapshotQueue = ReturnType<EngineHandle['getSnapshot']>['queue'];
