import type { ActionName } from '../domain/action.js';
import { isDockerError } from '../docker/errors.js';

/**
 * Docker answers that mean "it is already so" count as success (DESIGN §6): 304 on stop/start,
 * 409 "already paused" on pause, 409 (or 500) "not paused" on unpause, 409 "not running" on kill.
 */
export function isAlreadySo(
  error: unknown,
  step: 'pause' | 'unpause' | 'stop' | 'start' | 'kill' | 'restart' | ActionName,
): boolean {
  if (isDockerError(error, 'not-modified')) return step === 'stop' || step === 'start';
  // Docker is not consistent about the status: "is not paused" comes as 409 or as 500.
  if (!isDockerError(error, 'conflict') && !isDockerError(error, 'engine')) return false;
  const message = error.message;
  switch (step) {
    case 'pause':
      return /already paused/i.test(message);
    case 'unpause':
      return /not paused/i.test(message);
    case 'kill':
    case 'stop':
      return /is not running/i.test(message);
    default:
      return false;
  }
}
