import { readFile, stat } from 'node:fs/promises';

/**
 * The bearer token from `--token-file`, trimmed. A file group or others can read or write is accepted
 * with a warning (it is a secret); an empty file is an error, never "no token".
 */
export async function readToken(file: string): Promise<{ token: string; warning?: string }> {
  const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
  const token = text.trim();
  if (token === '') throw new Error('the token file is empty');
  if (/\s/.test(token)) throw new Error('the token must be one line without spaces');
  // Windows has no group/other mode bits that mean this.
  if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    return {
      token,
      warning: `brig: --token-file ${file} is open to group or others (mode ${mode}): it is a secret; run chmod 600 ${file}`,
    };
  }
  return { token };
}
