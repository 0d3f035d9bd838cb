import type { CreateContainerSpec, CreateNetworkSpec } from '../docker/docker-port.js';
import type { HardenLevel } from './seccomp-files.js';

/** The internal, no-ICC network `maximum` containers live on: no route out, no peer-to-peer. */
export const hardenedNetwork: CreateNetworkSpec & { options: Record<string, string> } = {
  name: 'brig-hardened',
  driver: 'bridge',
  internal: true,
  options: { 'com.docker.network.bridge.enable_icc': 'false' },
  labels: { 'brig.managed': 'true' },
};

const mib = 1024 * 1024;

/** Capabilities Docker grants by default that ordinary services never need. */
const rarelyNeededCapabilities = ['NET_RAW', 'MKNOD', 'AUDIT_WRITE', 'SETFCAP'];

/** The settings of each level, as Engine API HostConfig / Config fields (README "Posture audit"). */
export function hardenedHostConfig(level: HardenLevel, seccompJson: string): Record<string, unknown> {
  const securityOpt = ['no-new-privileges', `seccomp=${seccompJson}`];
  switch (level) {
    case 'minimal':
      return { CapDrop: rarelyNeededCapabilities, SecurityOpt: securityOpt, PidsLimit: 4096 };
    case 'standard':
      return {
        CapDrop: rarelyNeededCapabilities,
        SecurityOpt: securityOpt,
        PidsLimit: 1024,
        Memory: 512 * mib,
        MemorySwap: 512 * mib,
        NanoCpus: 1_000_000_000,
        IpcMode: 'private',
      };
    case 'maximum':
      return {
        CapDrop: ['ALL'],
        SecurityOpt: securityOpt,
        ReadonlyRootfs: true,
        // Owned by the container user: a copy of the image's /tmp would keep root's mode.
        Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=16m,uid=65534,gid=65534' },
        PidsLimit: 128,
        Memory: 256 * mib,
        MemorySwap: 256 * mib,
        NanoCpus: 500_000_000,
        IpcMode: 'private',
        NetworkMode: hardenedNetwork.name,
      };
  }
}

/** The Engine API create body (POST /containers/create) for IMAGE [CMD…] hardened to `level`. */
export function hardenedCreateSpec(
  level: HardenLevel,
  image: string,
  cmd: readonly string[],
  seccompJson: string,
): CreateContainerSpec {
  return {
    Image: image,
    ...(cmd.length > 0 ? { Cmd: [...cmd] } : {}),
    ...(level === 'maximum' ? { User: '65534:65534' } : {}),
    Labels: { 'brig.hardened': level },
    HostConfig: hardenedHostConfig(level, seccompJson),
  };
}
