import { auditEntry, formatAuditTable, type AuditEntry } from '../audit/audit-report.js';
import { isDockerError } from '../docker/errors.js';
import { connectEngines } from './engine-check.js';
import { exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** `brig audit [--json]`: the security posture of every container on every engine (DESIGN §11). */
export async function auditCommand(context: CommandContext): Promise<number> {
  const warn = (message: string) => context.stderr.write(`${message}\n`);
  const ports = await connectEngines(context.flags.dockerHost, context.env, warn);
  const entries: AuditEntry[] = [];
  for (const port of ports) {
    let ids: string[];
    try {
      ids = await port.listContainerIds();
    } catch (error) {
      // connectEngines already named the unreachable ones; anything else is worth a line.
      if (!isDockerError(error, 'unreachable')) warn(`brig audit: ${port.host}: ${(error as Error).message}`);
      continue;
    }
    for (const id of ids) {
      try {
        entries.push(auditEntry(await port.inspectContainer(id)));
      } catch (error) {
        // Removed between list and inspect: it no longer has a posture.
        if (isDockerError(error, 'not-found')) continue;
        warn(`brig audit: ${id.slice(0, 12)}: ${(error as Error).message}`);
      }
    }
  }
  entries.sort((a, b) => a.container.name.localeCompare(b.container.name));
  context.stdout.write(
    context.flags.json ? `${JSON.stringify(entries, null, 2)}\n` : formatAuditTable(entries),
  );
  return exitCodes.ok;
}
