/** Typed failures of the Docker port. Each names the engine host it came from. */
export type DockerErrorKind =
  | 'not-found'
  | 'conflict'
  | 'not-modified'
  | 'unreachable'
  | 'timeout'
  | 'invalid'
  | 'engine'
  /** A bounded read (evidence archive) went past its byte limit. */
  | 'limit';

export class DockerError extends Error {
  constructor(
    readonly kind: DockerErrorKind,
    readonly host: string,
    message: string,
    readonly statusCode?: number,
  ) {
    super(`${message} (engine ${host})`);
    this.name = 'DockerError';
  }
}

export function isDockerError(error: unknown, kind?: DockerErrorKind): error is DockerError {
  return error instanceof DockerError && (kind === undefined || error.kind === kind);
}

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'EACCES',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/** Map what dockerode / docker-modem / node throw into a DockerError. */
export function toDockerError(error: unknown, host: string, what: string): DockerError {
  if (error instanceof DockerError) return error;
  const e = error as {
    statusCode?: number;
    code?: string;
    name?: string;
    message?: string;
    json?: { message?: string; cause?: string };
  };
  let detail = (e?.json?.message ?? e?.message ?? String(error)).trim();
  // Podman answers a wrong-state request with 500 "container state improper" where Docker says 409,
  // and words a kill of a stopped container differently: typed and worded as Docker's.
  if (e?.statusCode === 500 && /container state improper/i.test(`${e.json?.cause ?? ''} ${detail}`)) {
    if (/can only kill running containers/i.test(detail)) detail += ' (container is not running)';
    return new DockerError('conflict', host, `${what}: conflict: ${detail}`, 409);
  }
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError' || e?.code === 'ABORT_ERR') {
    return new DockerError('timeout', host, `${what}: timed out`);
  }
  if (e?.code && unreachableCodes.has(e.code)) {
    return new DockerError('unreachable', host, `${what}: Docker engine unreachable (${e.code})`);
  }
  switch (e?.statusCode) {
    case 304:
      return new DockerError('not-modified', host, `${what}: already so`, 304);
    case 404:
      return new DockerError('not-found', host, `${what}: not found: ${detail}`, 404);
    case 409:
      return new DockerError('conflict', host, `${what}: conflict: ${detail}`, 409);
    case undefined:
      return new DockerError('engine', host, `${what}: ${detail}`);
    default:
      return new DockerError('engine', host, `${what}: HTTP ${e.statusCode}: ${detail}`, e.statusCode);
  }
}
