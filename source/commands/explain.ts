import { readFile } from 'node:fs/promises';
import { gradePosture } from '../audit/grade.js';
import { loadConfig } from '../config/load-config.js';
import { formatPolicyError, loadPolicyDir } from '../config/policy-loader.js';
import type { ContainerInspect } from '../docker/inspect.js';
import { containerFromInspect, ContainerInspectSchema } from '../docker/inspect.js';
import type { Alert } from '../domain/alert.js';
import type { Container } from '../domain/container.js';
import type { ActionKind } from '../domain/action.js';
import type { Target, Verdict } from '../domain/decision.js';
import type { PostureLevel } from '../domain/snapshot.js';
import { parsePayload } from '../intake/parse.js';
import { compilePolicies } from '../policy/compile.js';
import { decide, emptyHistory } from '../policy/decide.js';
import { policyDirFor } from './check.js';
import { connectEngines, inspectAll } from './engine-check.js';
import { CliError, exitCodes } from './exit-codes.js';
import type { CommandContext } from './flags.js';

/** One entry of `brig explain` output (DESIGN §8). */
export interface ExplainEntry {
  alert: Alert;
  decisions: {
    policy: string | null;
    container: Target | null;
    action: ActionKind | null;
    verdict: Verdict;
    reason: string;
  }[];
}

interface InventoryItem {
  container: Container;
  inspect: ContainerInspect;
}

/**
 * `brig explain FILE [--inventory INSPECT.json]`: the decisions for each alert of FILE (any intake
 * format), as if armed with empty history, against the live engine's containers or a saved
 * `docker inspect`. JSON on stdout, one entry per alert in input order.
 */
export async function explainCommand(context: CommandContext): Promise<number> {
  const [file, ...extra] = context.args;
  if (file === undefined || extra.length > 0)
    throw new CliError('brig explain: expected one FILE of alerts (or - for stdin)', exitCodes.usage);

  const alerts = parseAlertFile(file, await readInput(file, 'alert file'));
  const { config } = await loadConfig(context.flags.config, context.env).catch((error: Error) => {
    throw new CliError(`brig: ${error.message}`, exitCodes.invalid);
  });
  const dir = await policyDirFor(context);
  const loaded = await loadPolicyDir(dir);
  if (loaded.errors.length > 0)
    throw new CliError(loaded.errors.map(formatPolicyError).join('\n'), exitCodes.invalid);

  const items = context.flags.inventory
    ? parseInventory(context.flags.inventory, await readInput(context.flags.inventory, 'inventory'))
    : await liveInventory(context);
  const inventory = items.map((i) => i.container);
  const postures = new Map<string, PostureLevel>(
    items.map((i) => [i.container.id, gradePosture(i.inspect).level]),
  );

  const policies = compilePolicies(loaded.policies);
  const now = Date.now();
  const entries: ExplainEntry[] = alerts.map((alert) => ({
    alert,
    decisions: decide(alert, policies, {
      inventory,
      armed: true,
      dryRun: context.flags.dryRun,
      protectNames: config.guard.protect_names,
      now,
      history: emptyHistory,
      posture: (id) => postures.get(id),
    }).decisions.map((d) => ({
      policy: d.policy,
      container: d.container,
      action: d.action?.kind ?? null,
      verdict: d.verdict,
      reason: d.reason,
    })),
  }));
  context.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
  return exitCodes.ok;
}

async function readInput(file: string, what: string): Promise<string> {
  try {
    return file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new CliError(`brig explain: ${file}: cannot read the ${what}: ${why}`, exitCodes.invalid);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Any intake format, detected per JSON value. One bad alert fails the whole run, naming its line. */
export function parseAlertFile(file: string, text: string): Alert[] {
  const outcome = parsePayload(text, 'auto');
  if (outcome.rejected.length > 0) {
    const lines = outcome.rejected.map((r) =>
      r.line !== undefined ? `${file}:${r.line}: ${r.reason}` : `${file}: alert ${r.index + 1}: ${r.reason}`,
    );
    throw new CliError(lines.join('\n'), exitCodes.invalid);
  }
  return outcome.alerts;
}

/** `docker inspect` output saved to a file: an array of inspect documents (one object also works). */
export function parseInventory(file: string, text: string): InventoryItem[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new CliError(`brig explain: ${file}: not JSON: ${(error as Error).message}`, exitCodes.invalid);
  }
  const list = Array.isArray(doc) ? doc : [doc];
  const errors: string[] = [];
  const items: InventoryItem[] = [];
  list.forEach((entry, i) => {
    const parsed = ContainerInspectSchema.safeParse(entry);
    if (parsed.success) {
      items.push({ inspect: parsed.data, container: containerFromInspect(parsed.data, 'file') });
    } else {
      for (const issue of parsed.error.issues) {
        const where = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
        errors.push(`${file}: [${i}]${where}: ${issue.message}`);
      }
    }
  });
  if (errors.length > 0) throw new CliError(errors.join('\n'), exitCodes.invalid);
  return items;
}

async function liveInventory(context: CommandContext): Promise<InventoryItem[]> {
  const warn = (message: string) => context.stderr.write(`${message}\n`);
  const ports = await connectEngines(context.flags.dockerHost, context.env, warn);
  const items: InventoryItem[] = (await inspectAll(ports, warn, 'explain')).map(({ inspect, engine }) => ({
    inspect,
    container: containerFromInspect(inspect, engine),
  }));
  return items;
}
