import type { DockerEvent } from './docker-port.js';

const containerId = /^[0-9a-f]{64}$/;

/** One NDJSON line of GET /events as a DockerEvent, in one shape for Docker and Podman (undefined: not JSON). */
export function parseEventLine(line: string): DockerEvent | undefined {
  return normalizeEvent(parseEvent(line));
}

/**
 * One shape for both engines' events. Podman sends `remove` for Docker's `destroy`; its network
 * events carry the container in Actor.ID (and its name as `name`), with no network named; its
 * `health_status` has the status in a top-level HealthStatus field.
 */
function normalizeEvent(
  event: (DockerEvent & { healthStatus?: string }) | undefined,
): DockerEvent | undefined {
  if (!event) return undefined;
  const { healthStatus, ...rest } = event;
  if (rest.type === 'container' && rest.action === 'remove') return { ...rest, action: 'destroy' };
  if (rest.type === 'container' && rest.action === 'health_status' && healthStatus)
    return { ...rest, action: `health_status: ${healthStatus}` };
  if (rest.type === 'network' && rest.attributes.container === undefined && containerId.test(rest.id)) {
    const { name, ...attributes } = rest.attributes;
    return {
      ...rest,
      id: '',
      attributes: { ...attributes, container: rest.id, ...(name ? { containerName: name } : {}) },
    };
  }
  return rest;
}

function parseEvent(line: string): (DockerEvent & { healthStatus?: string }) | undefined {
  try {
    const raw = JSON.parse(line) as {
      Type?: string;
      Action?: string;
      status?: string;
      id?: string;
      Actor?: { ID?: string; Attributes?: Record<string, string> };
      timeNano?: number;
      time?: number;
      HealthStatus?: string;
    };
    return {
      type: raw.Type ?? 'container',
      action: raw.Action ?? raw.status ?? '',
      id: raw.Actor?.ID ?? raw.id ?? '',
      attributes: raw.Actor?.Attributes ?? {},
      timeNano: raw.timeNano ?? (raw.time ?? 0) * 1e9,
      ...(raw.HealthStatus ? { healthStatus: raw.HealthStatus } : {}),
    };
  } catch {
    return undefined;
  }
}
