import { Box, useApp, useStdout, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import type { CommandResult, EngineHandle } from '../domain/snapshot.js';
import { copyToClipboard } from './clipboard.js';
import { coalescedStore } from './coalesced-store.js';
import type { DetailLine } from './details.js';
import { DetailsOverlay } from './details-overlay.js';
import { Footer, type StatusMessage } from './footer.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { InspectView } from './inspect-view.js';
import { LogsView, type LogsKeys } from './logs-view.js';
import { handleKey } from './key-handler.js';
import type { KeyStep, KeyView, UiEffect } from './key-step.js';
import { keyNameOf, keyOf, keysLabel, scrollHint, type KeyBinding } from './keymap.js';
import { layoutFor } from './layout.js';
import { listWindow } from './list-window.js';
import { Overlay } from './overlay.js';
import { Pane } from './pane.js';
import { filterItems, paneItems, rowOf, selectedIndex } from './pane-items.js';
import { paneColumns, paneOrder, paneTitles, type PaneId } from './pane-rows.js';
import { StepperOverlay } from './stepper-overlay.js';
import { TabBar } from './tab-bar.js';
import { useTheme } from './theme.js';
import { TooSmall } from './too-small.js';
import { initialUiState, uiReducer, type UiEvent } from './ui-state.js';
import { useInspect } from './use-inspect.js';
import { useKeyQueue } from './use-key-queue.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  handle: EngineHandle;
  keymap: readonly KeyBinding[];
  readOnly: boolean;
  /** Shown on the status line at start (e.g. `[keys]` override errors). */
  initialStatus?: StatusMessage;
  /** Shown over the panes at start until a key is pressed (the demo's introduction). */
  intro?: { title: string; lines: DetailLine[] };
  /** Snapshot coalescing interval (DESIGN §10: ≤ 10 a second). */
  coalesceMs?: number;
}

const statusMs = 6000;

/**
 * The screen: the engine's snapshot, the UI's own state (one reducer: ui-state.ts) and the keys
 * (key-handler.ts: pure). This component only wires them and runs the effects keys ask for.
 */
export function App({
  handle,
  keymap,
  readOnly: readOnlyFlag,
  initialStatus,
  intro,
  coalesceMs = 100,
}: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const theme = useTheme();
  // Histories (sparklines) are drawn only in a container's details: followed only while those are open.
  const detailsOpen = useRef(false);
  const store = useMemo(
    () => coalescedStore(handle, coalesceMs, coalesceMs * 20, coalesceMs * 2.5, () => detailsOpen.current),
    [handle, coalesceMs],
  );
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize();
  const readOnly = readOnlyFlag || snapshot.readOnly;
  const [state, dispatch] = useReducer(uiReducer, undefined, () =>
    initialUiState({
      status: initialStatus,
      intro: intro ? { kind: 'intro', title: intro.title, lines: intro.lines, scroll: 0 } : undefined,
    }),
  );
  const showingDetails = state.overlay?.kind === 'details';
  useEffect(() => {
    detailsOpen.current = showingDetails;
    if (showingDetails) store.refresh();
  }, [showingDetails, store]);
  const offsets = useRef<Record<PaneId, number>>({ containers: 0, alerts: 0, policies: 0, actions: 0 });

  useEffect(() => {
    if (!state.status) return;
    const timer = setTimeout(() => dispatch({ type: 'status', status: undefined }), statusMs);
    return () => clearTimeout(timer);
  }, [state.status]);

  // Sorted once per snapshot array; filtered once per filter change.
  const unfiltered = useMemo(
    () => paneItems(snapshot, state.sortBy, state.localOutcomes),
    [
      snapshot.containers,
      snapshot.alerts,
      snapshot.policies,
      snapshot.actions,
      snapshot.queue,
      state.sortBy,
      state.localOutcomes,
    ],
  );
  const items = useMemo(() => filterItems(unfiltered, state.filters), [unfiltered, state.filters]);
  const layout = layoutFor(columns, rows, state.zoom, state.focus);
  const inspectOf = state.overlay?.kind === 'inspect' ? state.overlay.container : undefined;
  const logsKeys = useRef<LogsKeys>(null);
  const inspect = useInspect(handle, inspectOf, keymap, Math.max(1, layout.body - 3));

  const dispatchAll = useCallback((events: readonly UiEvent[]) => events.forEach(dispatch), []);
  const runEffect = useCallback(
    async (effect: UiEffect) => {
      if (effect.type === 'exit') return exit();
      if (effect.type === 'copy') return copyToClipboard(stdout, effect.text);
      if (effect.type === 'logs-key') {
        if (logsKeys.current?.key(effect.name, effect.input) === 'close') dispatch({ type: 'close' });
        return;
      }
      if (effect.type === 'inspect-key') {
        if (inspect.onKey(effect.name, effect.input)) dispatch({ type: 'close' });
        return;
      }
      let result: CommandResult;
      try {
        result = await handle.send(effect.command);
      } catch (error) {
        result = { ok: false, message: `${effect.command.type}: ${(error as Error).message}` };
      }
      dispatch({ type: 'status', status: { text: result.message || effect.command.type, ok: result.ok } });
      if (result.ok && effect.onOk) dispatchAll(effect.onOk);
    },
    [handle, exit, stdout, dispatchAll, inspect.onKey],
  );
  const apply = (result: KeyStep) => {
    dispatchAll(result.events);
    for (const effect of result.effects) void runEffect(effect);
  };

  useKeyQueue((input: string, key: Key) => {
    const name = keyNameOf(input, key);
    if (!name) return;
    const view: KeyView = { state, snapshot, items, keymap, readOnly, layout, now: new Date().toISOString() };
    apply(handleKey(view, name, input, key));
  });

  // Close the stepper when its queue empties; say so.
  const stepperOpen = state.overlay?.kind === 'stepper';
  useEffect(() => {
    if (stepperOpen && snapshot.queue.length === 0)
      dispatchAll([
        { type: 'close' },
        { type: 'status', status: { text: 'queue done: nothing left to step through' } },
      ]);
  }, [stepperOpen, snapshot.queue.length, dispatchAll]);

  if (layout.kind === 'too-small')
    return <TooSmall columns={columns} rows={rows} quitKey={keyOf(keymap, 'quit')} />;

  const overlay = state.overlay;
  // Every overlay takes the whole body.
  const box = { width: columns, height: layout.body };
  const body = (() => {
    switch (overlay?.kind) {
      case 'confirm':
        return (
          <Overlay
            title={overlay.title}
            lines={overlay.lines}
            {...box}
            hint={`${keysLabel(keymap.find((k) => k.action === 'confirm-yes')!)} yes  ·  anything else: No (default)`}
          />
        );
      case 'help':
        return <HelpOverlay keymap={keymap} readOnly={readOnly} {...box} scroll={overlay.scroll} />;
      case 'intro':
        return (
          <Overlay
            title={overlay.title}
            lines={overlay.lines}
            {...box}
            scroll={overlay.scroll}
            hint={`${scrollHint(keymap)} · ${keyOf(keymap, 'help')} lists the keys`}
          />
        );
      case 'details':
        return (
          <DetailsOverlay
            pane={overlay.pane}
            item={
              items[overlay.pane].find((i) => i.key === overlay.key) ??
              unfiltered[overlay.pane].find((i) => i.key === overlay.key)
            }
            sources={{ alerts: unfiltered.alerts.map((i) => i.alert!), actions: snapshot.actions }}
            keymap={keymap}
            {...box}
            scroll={overlay.scroll}
          />
        );
      case 'logs':
        return (
          <LogsView
            ref={logsKeys}
            handle={handle}
            keymap={keymap}
            container={overlay.container}
            name={overlay.name}
            around={overlay.around}
            {...box}
          />
        );
      case 'inspect':
        return <InspectView state={inspect.state} name={overlay.name} {...box} keymap={keymap} />;
      case 'stepper':
        return (
          <StepperOverlay
            queue={snapshot.queue}
            index={overlay.index}
            {...box}
            readOnly={readOnly}
            keymap={keymap}
          />
        );
    }
    return layout.grid.map((line, r) => (
      <Box key={r} flexDirection="row" height={line[0]?.height ?? 0}>
        {line.map((p) => {
          const list = items[p.id];
          const index = selectedIndex(list, state.selection[p.id]);
          const window = listWindow(offsets.current[p.id], index, list.length, Math.max(0, p.height - 3));
          offsets.current[p.id] = window.offset;
          return (
            <Pane
              key={p.id}
              number={paneOrder.indexOf(p.id) + 1}
              title={p.id === 'containers' ? `${paneTitles[p.id]} by ${state.sortBy}` : paneTitles[p.id]}
              focused={p.id === state.focus}
              width={p.width}
              height={p.height}
              columns={paneColumns[p.id]}
              rows={list.slice(window.offset, window.end).map(rowOf)}
              count={list.length}
              total={unfiltered[p.id].length}
              selected={index}
              offset={window.offset}
              filter={state.filters[p.id]}
              editingFilter={state.editingFilter && p.id === state.focus}
              emptyText={emptyText(p.id, state.filters[p.id], keyOf(keymap, 'clear'))}
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
        <TabBar focus={state.focus} width={columns} highlight={theme.color('focus')} />
      ) : null}
      <Box width={columns} height={layout.body} overflow="hidden" flexDirection="column">
        {body}
      </Box>
      <Footer
        keymap={keymap}
        readOnly={readOnly}
        width={columns}
        status={
          state.status ??
          (snapshot.policyError
            ? { text: `policies: ${snapshot.policyError}`, ok: false }
            : snapshot.notice
              ? { text: snapshot.notice, ok: false }
              : undefined)
        }
        filterPrompt={state.editingFilter ? state.filters[state.focus] : undefined}
      />
    </Box>
  );
}

function emptyText(pane: PaneId, filter: string, clearKey: string): string {
  if (filter) return `nothing matches /${filter} (${clearKey} clears)`;
  return {
    containers: 'no containers',
    alerts: 'no alerts yet',
    policies: 'no policies loaded',
    actions: 'no actions yet',
  }[pane];
}
