import { auditEntry, formatAuditTable, type AuditEntry } from '../audit/audit-report.js';
import { connectEngines, inspectAll } from './engine-check.js';
import { exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** `brig audit [--json]`: the security posture of every container on every engine (DESIGN §11). */
export async function auditCommand(context: CommandContext): Promise<number> {
  const warn = (message: string) => context.stderr.write(`${message}\n`);
  const ports = await connectEngines(context.flags.dockerHost, context.env, warn);
  const entries: AuditEntry[] = (await inspectAll(ports, warn, 'audit')).map(({ inspect }) =>
    auditEntry(inspect),
  );
  entries.sort((a, b) => a.container.name.localeCompare(b.container.name));
  context.stdout.write(
    context.flags.json ? `${JSON.stringify(entries, null, 2)}\n` : formatAuditTable(entries),
  );
  return exitCodes.ok;
}
