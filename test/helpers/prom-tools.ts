import { execFileSync } from 'node:child_process';
import path from 'node:path';

const script = path.resolve(import.meta.dirname, '../../scripts/prom-tools.sh');

/**
 * Debian's promtool, prometheus-alertmanager and amtool, installed by scripts/prom-tools.sh when
 * missing. Throws (the test fails, never skips) when they cannot be had.
 */
export function ensurePromTools(): void {
  try {
    execFileSync('bash', [script], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 15 * 60_000 });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`scripts/prom-tools.sh failed: promtool/alertmanager/amtool unavailable\n${stderr}`);
  }
}

/** `promtool check metrics` on a /metrics text: its complaints, empty when clean. */
export function promtoolCheckMetrics(text: string): { status: number; output: string } {
  try {
    const out = execFileSync('promtool', ['check', 'metrics'], { input: text, stdio: 'pipe' });
    return { status: 0, output: out.toString() };
  } catch (error) {
    const e = error as { status?: number; stdout?: Buffer; stderr?: Buffer };
    return { status: e.status ?? 1, output: `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}` };
  }
}
