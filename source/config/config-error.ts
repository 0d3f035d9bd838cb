/** A config file or BRIG_* variable Brig cannot use; the message names FILE:LINE or the variable. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** "usage": a malformed command-line flag (exit 2); "invalid": everything else (exit 1). */
    readonly kind: 'invalid' | 'usage' = 'invalid',
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}
