import { Box, Text } from 'ink';
import type { EngineSnapshot } from '../domain/snapshot.js';
import { clockTime } from './format.js';
import { useTheme } from './theme.js';
import { useNow } from './use-now.js';

/** The state line: ARMED/DISARMED in words and colour, dry-run, engines, counts, queue, clock. */
export function Header({
  snapshot,
  width,
  readOnly,
}: {
  snapshot: EngineSnapshot;
  width: number;
  readOnly: boolean;
}) {
  const theme = useTheme();
  // Minutes only: a seconds clock would redraw the whole screen every second on an idle host.
  const now = useNow(60_000);
  const up = snapshot.engines.filter((e) => e.up).length;
  const isolated = snapshot.containers.filter((c) => (c.isolation?.labels.length ?? 0) > 0).length;
  const clock = clockTime(now).slice(0, 5);
  // Narrow terminals get the short words, so the counts still fit beside the clock.
  const short = width < 100;
  const rest = [
    `dry-run:${snapshot.dryRun ? 'ON' : 'off'}`,
    `${short ? 'eng' : 'engines'} ${up}/${snapshot.engines.length}`,
    `${short ? 'ctr' : 'containers'} ${snapshot.containers.length}`,
    `${short ? 'iso' : 'isolated'} ${isolated}`,
    `queue ${snapshot.queue.length}`,
    snapshot.inFlight > 0 ? `in-flight ${snapshot.inFlight}` : '',
    readOnly ? 'READ-ONLY' : '',
    snapshot.counters.shed > 0 ? `shed ${snapshot.counters.shed}` : '',
    snapshot.policyError ? 'POLICY ERROR' : '',
    snapshot.sampler
      ? /^sampler/.test(snapshot.sampler)
        ? snapshot.sampler
        : `sampler ${snapshot.sampler}`
      : '',
  ]
    .filter(Boolean)
    .join('  ');
  return (
    <Box width={width} height={1}>
      <Box flexGrow={1} flexShrink={1} overflow="hidden">
        <Text wrap="truncate">
          <Text bold> brig </Text>
          <Text bold color={theme.color(snapshot.armed ? 'armed' : 'disarmed')}>
            {snapshot.armed ? '● ARMED' : '○ DISARMED'}
          </Text>
          <Text color={up < snapshot.engines.length ? theme.color('warn') : undefined}>{'  ' + rest}</Text>
        </Text>
      </Box>
      <Box flexShrink={0}>
        <Text> {clock} </Text>
      </Box>
    </Box>
  );
}
