/**
 * The HTTP intake's listen address: its one syntax, its one loopback rule, and the one rule that a
 * listener other hosts can reach needs a token. Flags, BRIG_LISTEN, config.toml and the server use
 * these, so they cannot disagree.
 */
export interface ListenAddress {
  host: string;
  port: number;
}

export const listenSyntax = 'expected HOST:PORT, e.g. 127.0.0.1:7070';

/** HOST:PORT, with [v6]:PORT accepted; undefined when the text is not one. */
export function parseListen(text: string): ListenAddress | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) return undefined;
  return { host: (m[1] ?? m[2])!, port };
}

export function formatListen({ host, port }: ListenAddress): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Loopback only: anything else (including 0.0.0.0, :: and a hostname) is reachable from other hosts. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(bare) ||
    /^::ffff:127\.\d+\.\d+\.\d+$/.test(bare)
  );
}

/** Why this listener may not start (`named` says where the address came from), or undefined. */
export function listenRefusal(address: ListenAddress, hasToken: boolean, named: string): string | undefined {
  if (hasToken || isLoopbackHost(address.host)) return undefined;
  return (
    `${named} is not a loopback address: anyone who reaches it could post alerts. ` +
    'Give a token file (--token-file, BRIG_TOKEN_FILE or intake.token_file), or listen on 127.0.0.1.'
  );
}
