import { Box, Text } from 'ink';
import { useEffect, useImperativeHandle, useMemo, useReducer, useRef, type Ref } from 'react';
import type { EngineHandle } from '../domain/snapshot.js';
import { cellWidth, fit } from './format.js';
import { actionFor, keyLabel, keyOf, typingAction, typingHint, type KeyBinding } from './keymap.js';
import type { RingLine } from './log-ring.js';
import { aroundWindowMs, logClock, rowPrefixCells, windowRows, type LogRow } from './log-rows.js';
import { compileSearch } from './log-search.js';
import {
  activePattern,
  initialLogsViewState,
  logsViewReducer,
  windowStart,
  type LogsViewport,
} from './logs-view-state.js';
import { useLogFollow, type LogFollowSettings } from './use-log-follow.js';
import { Frame } from './frame.js';
import { useTheme } from './theme.js';

/**
 * The keys of an open logs view, as the app hands them over (the key's name in the keymap's
 * vocabulary, and the text it typed); 'close' when the view should go.
 */
export interface LogsKeys {
  key(name: string, input: string): 'close' | undefined;
}

export interface LogsViewProps {
  handle: EngineHandle;
  keymap: readonly KeyBinding[];
  /** Container id (or name) to follow, and the name for the title. */
  container: string;
  name: string;
  /** ISO time of the alert the view was opened from: the lines within ±5 s of it are marked. */
  around?: string;
  width: number;
  height: number;
  ref?: Ref<LogsKeys>;
  settings?: LogFollowSettings;
}

/** History asked for on opening; from an alert, the minutes before it (the ring keeps the newest). */
const historyLines = 1000;
const beforeAlertMs = 5 * 60_000;

/** The logs view (DESIGN §10 `l`): follows the container's logs, searches them while they come. */
export function LogsView(props: LogsViewProps) {
  const theme = useTheme();
  const { keymap, width, height } = props;
  const aroundMs = props.around ? Date.parse(props.around) : NaN;
  const around = Number.isFinite(aroundMs) ? aroundMs : undefined;
  const maxLines = props.settings?.maxLines ?? 5000;
  const options = useMemo(
    () =>
      around === undefined
        ? { tail: historyLines }
        : { tail: maxLines, since: new Date(around - beforeAlertMs).toISOString() },
    [around, maxLines],
  );
  const follow = useLogFollow(props.handle, props.container, options, props.settings);
  const [state, dispatch] = useReducer(logsViewReducer, undefined, initialLogsViewState);

  const pattern = activePattern(state);
  const search = useMemo(() => compileSearch(pattern), [pattern]);
  const matches = useMemo(
    () => (search?.ok ? follow.lines.filter((l) => search.test(l.text)) : []),
    [follow.lines, search],
  );
  const matchSeqs = useMemo(() => matches.map((l) => l.seq), [matches]);
  const filtering = state.onlyMatching && search?.ok === true;
  const shownLines: readonly RingLine[] = filtering ? matches : follow.lines;
  const shown = useMemo(() => shownLines.map((l) => l.seq), [shownLines]);

  const inner = Math.max(0, width - 2);
  const rowsForLines = Math.max(1, height - 4);
  const view: LogsViewport = {
    shown,
    matches: matchSeqs,
    height: rowsForLines,
    ...(search && !search.ok ? { searchError: search.error } : {}),
  };

  // Opened from an alert: start at its time once a line of that time has come (the history arrives
  // over several batches). No line within ±5 s: the nearest one after it, said so.
  const revealed = useRef(false);
  useEffect(() => {
    if (revealed.current || around === undefined) return;
    const first = follow.lines.find((l) => l.ms !== undefined && l.ms >= around - aroundWindowMs);
    if (!first) return;
    revealed.current = true;
    const near = first.ms! <= around + aroundWindowMs;
    dispatch({
      type: 'reveal',
      seq: first.seq,
      view,
      ...(near ? {} : { note: `no line within ±5 s of the alert (${logClock(around)}): the next one shown` }),
    });
  });

  const k = (action: string) => keyOf(keymap, action, 'logs');
  const hintParts: Part[] = [
    [`${k('logs-search')} search`, 1],
    [`${k('logs-next')}/${k('logs-previous')} match`, 2],
    [`${k('logs-only-matching')} only matching`, 3],
    [`${k('logs-follow')} pause`, 4],
    [`${k('logs-bottom')} follow`, 5],
    [`${k('logs-wrap')} wrap`, 6],
    [`${k('logs-close')} close`, 0],
  ];
  const hint = hintParts.map(([text]) => text).join(' · ');

  useImperativeHandle(props.ref, () => ({
    key(name: string, input: string) {
      if (state.draft !== undefined) {
        const typing = typingAction(keymap, name);
        if (typing === 'filter-keep') dispatch({ type: 'search-apply', view });
        else if (typing === 'filter-clear') dispatch({ type: 'search-cancel' });
        else if (typing === 'filter-erase') dispatch({ type: 'search-backspace' });
        else if (name === 'space') dispatch({ type: 'search-type', text: ' ' });
        else if (input.length > 0 && !name.startsWith('ctrl-') && [...input].every((ch) => ch >= ' '))
          dispatch({ type: 'search-type', text: input });
        return undefined;
      }
      const binding = actionFor(keymap, 'logs', name);
      switch (binding?.action) {
        case 'logs-close':
          return 'close';
        case 'logs-search':
          return void dispatch({ type: 'search-start' });
        case 'logs-next':
          return void dispatch({ type: 'match', direction: 'next', view });
        case 'logs-previous':
          return void dispatch({ type: 'match', direction: 'previous', view });
        case 'logs-only-matching':
          return void dispatch(
            search?.ok
              ? { type: 'toggle-only-matching' }
              : { type: 'note', text: `no search to filter by: ${k('logs-search')} starts one` },
          );
        case 'logs-follow':
          return void dispatch({ type: 'toggle-follow', view });
        case 'logs-down':
          return void dispatch({ type: 'scroll', by: 1, view });
        case 'logs-up':
          return void dispatch({ type: 'scroll', by: -1, view });
        case 'logs-page-down':
          return void dispatch({ type: 'scroll', by: 'page-down', view });
        case 'logs-page-up':
          return void dispatch({ type: 'scroll', by: 'page-up', view });
        case 'logs-top':
          return void dispatch({ type: 'top', view });
        case 'logs-bottom':
          return void dispatch({ type: 'bottom' });
        case 'logs-wrap':
          return void dispatch({ type: 'toggle-wrap' });
        default:
          return void dispatch({ type: 'note', text: `${keyLabel(name)} does nothing in the logs: ${hint}` });
      }
    },
  }));

  const start = windowStart(state, shown, rowsForLines);
  const atBottom = start + rowsForLines >= shownLines.length;
  const rows = windowRows(shownLines, start, rowsForLines, state.follow || (atBottom && !state.wrap), {
    textWidth: Math.max(1, inner - rowPrefixCells),
    wrap: state.wrap,
    aroundMs: around,
    currentSeq: state.current,
    ranges: search?.ok && !search.invert ? search.ranges : () => [],
  });
  const below = Math.max(0, shownLines.length - (start + rowsForLines));

  const title =
    ` Logs: ${props.name} · ${state.follow ? 'following' : 'paused'}` +
    (around !== undefined ? ` · alert at ${logClock(around)} (▌ ±5 s)` : '') +
    ' ';
  const currentIndex = state.current === undefined ? -1 : matchSeqs.indexOf(state.current);
  const ended = follow.ended;
  // What matters most stays when the width is short: the follow state, then the matches.
  const statusParts: Part[] = [
    [ended ? `${ended.message} (followed again when it runs)` : undefined, 0],
    [
      follow.resumed > 0
        ? `followed again after a restart${follow.resumed > 1 ? ` (${follow.resumed}×)` : ''}`
        : undefined,
      3,
    ],
    [state.follow ? '● following' : `‖ paused (${k('logs-follow')}/${k('logs-bottom')} resumes)`, 0],
    [!state.follow && below > 0 ? `${below} below` : undefined, 4],
    [`${follow.lines.length} lines`, 5],
    [
      search?.ok
        ? `${matches.length} ${search.invert ? 'not matching' : 'matching'} ${search.pattern}` +
          (currentIndex >= 0 ? ` (${currentIndex + 1}/${matches.length})` : '')
        : undefined,
      1,
    ],
    [filtering ? 'only matching shown' : undefined, 2],
    [follow.dropped > 0 ? `${follow.dropped} dropped (keeps ${maxLines})` : undefined, 3],
    [state.wrap ? 'wrap' : undefined, 6],
  ];
  const prompt =
    state.draft !== undefined
      ? `/${state.draft}▏ ` +
        (search && !search.ok
          ? search.error
          : `${matches.length} matching · ${typingHint(keymap, 'applies', 'cancels')}`)
      : (state.note ?? fitParts(hintParts, inner - 1));

  return (
    <Frame
      title={title}
      width={width}
      height={height}
      footer={
        <>
          <Text wrap="truncate" color={ended?.error ? theme.color('bad') : undefined}>
            {fit(' ' + fitParts(statusParts, inner - 1), inner)}
          </Text>
          <Text
            wrap="truncate"
            color={
              state.draft !== undefined && search && !search.ok
                ? theme.color('bad')
                : state.draft !== undefined
                  ? theme.color('accent')
                  : theme.color('muted')
            }
          >
            {fit(' ' + prompt, inner)}
          </Text>
        </>
      }
    >
      {rows.length === 0 ? (
        <Text wrap="truncate" color={theme.color('muted')}>
          {fit(
            ' ' +
              (filtering
                ? `no line matches ${search.pattern} yet`
                : ended
                  ? 'no lines'
                  : 'waiting for lines…'),
            inner,
          )}
        </Text>
      ) : (
        rows.map((row) => <Row key={row.key} row={row} width={inner} />)
      )}
    </Frame>
  );
}

/** A piece of a status or hint line and its rank: 0 is kept longest when the width is short. */
type Part = [text: string | undefined, rank: number];

/** Joins the parts with ` · `, leaving out the lowest-ranked until the line fits; order is kept. */
function fitParts(parts: readonly Part[], width: number): string {
  let kept = parts.filter((p): p is [string, number] => p[0] !== undefined);
  const join = () => kept.map(([text]) => text).join(' · ');
  while (kept.length > 1 && cellWidth(join()) > width) {
    const worst = Math.max(...kept.map(([, rank]) => rank));
    const at = kept.map(([, rank]) => rank).lastIndexOf(worst);
    kept = kept.filter((_, i) => i !== at);
  }
  return join();
}

function Row({ row, width }: { row: LogRow; width: number }) {
  const theme = useTheme();
  return (
    <Box width={width} overflow="hidden">
      <Text wrap="truncate">
        <Text bold color={row.current ? theme.color('accent') : undefined}>
          {row.current ? '›' : ' '}
        </Text>
        <Text color={theme.color('warn')}>{row.nearAlert ? '▌ ' : '  '}</Text>
        <Text color={theme.color('muted')}>{row.time} </Text>
        <Text color={row.stderr ? theme.color('bad') : undefined}>{row.stderr ? 'err ' : '    '}</Text>
        {row.segments.map((seg, i) =>
          seg.match ? (
            <Text key={i} inverse bold={row.current}>
              {seg.text}
            </Text>
          ) : (
            <Text key={i}>{seg.text}</Text>
          ),
        )}
      </Text>
    </Box>
  );
}
