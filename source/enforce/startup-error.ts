/**
 * Why the supervisor could not start, typed where it arises; `commands/` maps it to an exit code.
 * The message is complete (it names the flag, file or address) and is shown as it is.
 */
export class StartupError extends Error {
  constructor(
    readonly kind: 'policies' | 'token' | 'listen' | 'replay' | 'journal',
    message: string,
  ) {
    super(message);
    this.name = 'StartupError';
  }
}
