import type { ContainerInspect } from '../docker/inspect.js';
import type { Posture } from '../domain/snapshot.js';
import { gradePosture, postureLevels } from './grade.js';

/** One line of `brig audit --json` (DESIGN §11). */
export interface AuditEntry {
  container: { id: string; name: string };
  level: Posture['level'];
  failed: Posture['failed'];
}

export function auditEntry(inspect: ContainerInspect): AuditEntry {
  const posture = gradePosture(inspect);
  return { container: { id: inspect.Id, name: inspect.Name.replace(/^\//, '') }, ...posture };
}

/** The readable table: NAME, LEVEL, FAILED checks, then a count per level. */
export function formatAuditTable(entries: readonly AuditEntry[]): string {
  const header = ['NAME', 'LEVEL', 'FAILED'];
  const rows = entries.map((e) => [
    e.container.name,
    e.level.toUpperCase(),
    e.failed.length > 0 ? e.failed.map((f) => f.check).join(', ') : '-',
  ]);
  const widths = [0, 1].map((i) => Math.max(header[i]!.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`.trimEnd();
  const counts = [...postureLevels]
    .reverse()
    .map((level) => `${entries.filter((e) => e.level === level).length} ${level}`)
    .join(', ');
  const total = `${entries.length} container${entries.length === 1 ? '' : 's'}: ${counts}`;
  return [line(header), ...rows.map(line), '', total].join('\n') + '\n';
}
