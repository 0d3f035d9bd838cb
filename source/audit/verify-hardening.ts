import { readFileSync } from 'node:fs';
import type { CreateContainerSpec, NetworkInfo } from '../docker/docker-port.js';
import type { ContainerInspect } from '../docker/inspect.js';
import { dropsAll, normalizeCapability } from './capabilities.js';
import { gradePosture } from './grade.js';
import { hardenedNetwork } from './harden-spec.js';
import type { HardenLevel } from './seccomp-files.js';
import { parseSecurityOpt } from './security-opts.js';

/** One setting `brig harden --run` asked for, and whether the engine really applied it. */
export interface SettingCheck {
  setting: string;
  ok: boolean;
  expected: string;
  actual: string;
  note?: string;
}

const show = (value: unknown): string =>
  value === undefined || value === null ? '(unset)' : JSON.stringify(value);

function securityOptLabel(entry: string): { setting: string; expected: string } {
  const { key, value } = parseSecurityOpt(entry);
  if (key === 'seccomp')
    return { setting: 'seccomp', expected: `profile inlined (${value?.length ?? 0} bytes)` };
  return { setting: key, expected: value ?? 'on' };
}

/**
 * Compare what was asked (the create body) with what `docker inspect` says after start, setting by
 * setting, and grade the result: a hardened container that does not grade at its level is a failure.
 */
export function verifyHardening(
  level: HardenLevel,
  spec: CreateContainerSpec,
  inspect: ContainerInspect,
  network: NetworkInfo | undefined,
): SettingCheck[] {
  const asked = (spec.HostConfig ?? {}) as Record<string, unknown>;
  const got = inspect.HostConfig as Record<string, unknown>;
  const results: SettingCheck[] = [];
  for (const [key, want] of Object.entries(asked)) {
    const have = got[key];
    if (key === 'CapDrop') {
      const dropped = new Set(((have as string[] | null) ?? []).map(normalizeCapability));
      const all = dropsAll([...dropped]);
      const missing = (want as string[])
        .map(normalizeCapability)
        .filter((c) => !dropped.has(c) && !(c === 'ALL' && all));
      results.push({
        setting: 'cap-drop',
        ok: missing.length === 0,
        expected: show(want),
        actual: show(have),
      });
    } else if (key === 'SecurityOpt') {
      const present = new Set((have as string[] | null) ?? []);
      for (const entry of want as string[]) {
        const { setting, expected } = securityOptLabel(entry);
        const ok = present.has(entry) || sameSeccompFile(entry, present);
        results.push({ setting, ok, expected, actual: ok ? expected : 'not in HostConfig.SecurityOpt' });
      }
    } else if (key === 'Tmpfs') {
      for (const [path, options] of Object.entries(want as Record<string, string>)) {
        const actual = (have as Record<string, string> | null)?.[path];
        results.push({
          setting: `tmpfs ${path}`,
          ok: actual === options,
          expected: options,
          actual: show(actual),
        });
      }
    } else {
      results.push({
        setting: key,
        ok: JSON.stringify(have) === JSON.stringify(want),
        expected: show(want),
        actual: show(have),
      });
    }
  }
  if (spec.User !== undefined) {
    const user = inspect.Config.User ?? '';
    results.push({
      setting: 'user',
      ok: user === spec.User,
      expected: String(spec.User),
      actual: show(user),
    });
  }
  if (asked.NetworkMode === hardenedNetwork.name) {
    const attached = Object.keys(inspect.NetworkSettings.Networks ?? {});
    results.push({
      setting: 'network',
      ok: attached.length === 1 && attached[0] === hardenedNetwork.name,
      expected: `only ${hardenedNetwork.name}`,
      actual: show(attached),
    });
    const icc = network?.options['com.docker.network.bridge.enable_icc'];
    results.push({
      setting: 'network isolation',
      ok: network?.internal === true && icc === 'false',
      expected: 'internal, enable_icc=false',
      actual: network ? `internal=${network.internal}, enable_icc=${icc ?? '(unset)'}` : 'network not found',
    });
  }
  const apparmor = (inspect as Record<string, unknown>).AppArmorProfile;
  results.push(
    apparmor === '' || apparmor === undefined
      ? {
          setting: 'apparmor',
          ok: true,
          expected: 'confined where the host has AppArmor',
          actual: '(none)',
          note: 'host has no AppArmor: not enforced',
        }
      : {
          setting: 'apparmor',
          ok: apparmor !== 'unconfined',
          expected: 'a profile, not unconfined',
          actual: show(apparmor),
        },
  );
  const posture = gradePosture(inspect);
  results.push({
    setting: 'posture',
    ok: posture.level === level,
    expected: level,
    actual:
      posture.failed.length > 0
        ? `${posture.level} (failed: ${posture.failed.map((f) => f.check).join(', ')})`
        : posture.level,
  });
  return results;
}

/** Podman reports an inline profile Brig handed it as a file as `seccomp=<path>`: the same when that file holds it. */
function sameSeccompFile(entry: string, present: ReadonlySet<string>): boolean {
  if (!entry.startsWith('seccomp={')) return false;
  const json = entry.slice('seccomp='.length);
  return [...present].some((p) => {
    if (!p.startsWith('seccomp=/')) return false;
    try {
      return readFileSync(p.slice('seccomp='.length), 'utf8') === json;
    } catch {
      return false;
    }
  });
}
