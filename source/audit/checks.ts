import type { PostureLevel } from '../domain/snapshot.js';
import {
  dangerousCapabilities,
  dockerDefaultCapabilities,
  dropsAll,
  normalizeCapability,
} from './capabilities.js';
import { exposesEngineSocket, hostMounts, isSensitivePath } from './mounts.js';
import { classifySeccomp } from './seccomp-profile.js';
import { hasNoNewPrivileges, securityOptValues } from './security-opts.js';
import type { SecurityView } from './security-view.js';

/** A failed check and the highest level a container failing it can still reach. */
export interface CheckFailure {
  check: string;
  detail: string;
  capsAt: PostureLevel;
}

export interface PostureCheck {
  /** Stable kebab-case name: policies, the UI and `brig audit --json` use it. */
  name: string;
  evaluate(view: SecurityView): Omit<CheckFailure, 'check'>[];
}

const fail = (capsAt: PostureLevel, detail: string) => [{ capsAt, detail }];
const pass: Omit<CheckFailure, 'check'>[] = [];

function rootUser(user: string | null | undefined): boolean {
  const name = (user ?? '').split(':')[0]!.trim();
  return name === '' || name === 'root' || name === '0';
}

/** The checks in the order they are reported. README "Posture audit" states the same table. */
export const postureChecks: readonly PostureCheck[] = [
  {
    name: 'privileged',
    evaluate: (v) =>
      v.HostConfig?.Privileged
        ? fail('none', 'privileged: every capability and device, seccomp and AppArmor off')
        : pass,
  },
  {
    name: 'docker-socket',
    evaluate: (v) =>
      hostMounts(v).flatMap((m) => {
        const why = exposesEngineSocket(m);
        return why ? fail('none', `engine socket reachable: ${why}`) : [];
      }),
  },
  {
    name: 'host-pid',
    evaluate: (v) =>
      v.HostConfig?.PidMode === 'host' ? fail('none', "shares the host's PID namespace") : pass,
  },
  {
    name: 'host-network',
    evaluate: (v) =>
      v.HostConfig?.NetworkMode === 'host' ? fail('none', "shares the host's network namespace") : pass,
  },
  {
    name: 'host-ipc',
    evaluate: (v) =>
      v.HostConfig?.IpcMode === 'host' ? fail('none', "shares the host's IPC namespace") : pass,
  },
  {
    name: 'sensitive-mount',
    evaluate: (v) =>
      hostMounts(v)
        .filter((m) => !exposesEngineSocket(m) && isSensitivePath(m))
        .flatMap((m) =>
          fail(
            m.readOnly ? 'minimal' : 'none',
            `host ${m.source} mounted at ${m.destination} ${m.readOnly ? 'read-only' : 'writable'}`,
          ),
        ),
  },
  {
    name: 'cap-add',
    evaluate: (v) => {
      const added = [...new Set((v.HostConfig?.CapAdd ?? []).map(normalizeCapability))];
      const dangerous = added.filter((c) => dangerousCapabilities.has(c));
      const extra = added.filter((c) => !dangerousCapabilities.has(c) && !dockerDefaultCapabilities.has(c));
      const back = added.filter((c) => dockerDefaultCapabilities.has(c));
      if (dangerous.length > 0)
        return fail('none', `adds ${added.join(', ')} (${dangerous.join(', ')}: host-level)`);
      if (extra.length > 0) return fail('minimal', `adds ${added.join(', ')} (beyond Docker's default set)`);
      if (back.length > 0) return fail('standard', `adds ${added.join(', ')}`);
      return pass;
    },
  },
  {
    name: 'seccomp',
    evaluate: (v) => {
      const s = classifySeccomp(securityOptValues(v.HostConfig?.SecurityOpt ?? [], 'seccomp'));
      if (s.kind === 'unconfined') return fail('none', 'seccomp=unconfined: every syscall allowed');
      if (s.kind === 'denylist')
        return fail('minimal', 'custom profile allows every syscall it does not name');
      if (s.kind === 'unreadable') return fail('minimal', `custom profile: ${s.detail}`);
      return pass;
    },
  },
  {
    name: 'apparmor',
    evaluate: (v) => {
      const opts = securityOptValues(v.HostConfig?.SecurityOpt ?? [], 'apparmor');
      // An empty AppArmorProfile means the host has no AppArmor: nothing the container could change.
      return opts.includes('unconfined') || v.AppArmorProfile === 'unconfined'
        ? fail('none', 'apparmor=unconfined')
        : pass;
    },
  },
  {
    name: 'no-new-privileges',
    evaluate: (v) =>
      hasNoNewPrivileges(v.HostConfig?.SecurityOpt ?? [])
        ? pass
        : fail('minimal', 'setuid binaries can still raise privileges (no-new-privileges not set)'),
  },
  {
    name: 'memory-limit',
    evaluate: (v) => ((v.HostConfig?.Memory ?? 0) > 0 ? pass : fail('minimal', 'no memory limit')),
  },
  {
    name: 'pids-limit',
    evaluate: (v) =>
      (v.HostConfig?.PidsLimit ?? 0) > 0
        ? pass
        : fail('minimal', 'no pids limit: a fork bomb reaches the host'),
  },
  {
    name: 'cap-drop',
    evaluate: (v) => {
      const dropped = (v.HostConfig?.CapDrop ?? []).map(normalizeCapability);
      if (dropsAll(dropped)) return pass;
      return fail(
        'standard',
        dropped.length > 0
          ? `drops only ${dropped.join(', ')}, not ALL`
          : "keeps Docker's default capabilities (no cap-drop ALL)",
      );
    },
  },
  {
    name: 'read-only-rootfs',
    evaluate: (v) => (v.HostConfig?.ReadonlyRootfs ? pass : fail('standard', 'root filesystem is writable')),
  },
  {
    name: 'user',
    evaluate: (v) =>
      rootUser(v.Config?.User)
        ? fail('standard', v.Config?.User ? `runs as ${v.Config.User}` : 'runs as root (no user set)')
        : pass,
  },
  {
    name: 'cpu-limit',
    evaluate: (v) =>
      (v.HostConfig?.NanoCpus ?? 0) > 0 || (v.HostConfig?.CpuQuota ?? 0) > 0
        ? pass
        : fail('standard', 'no CPU limit (NanoCpus or CpuQuota)'),
  },
];
