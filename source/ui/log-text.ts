import { stripVTControlCharacters } from 'node:util';

/**
 * A log line as the terminal can show it: colour and cursor sequences removed (they would move
 * Ink's cursor), tabs as spaces, other control characters as visible ^X. Search runs on this text,
 * so what matches is what is seen.
 */
export function displayText(raw: string): string {
  const plain = stripVTControlCharacters(raw).replace(/\t/g, '    ');
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  return plain.replace(/[\x00-\x1f\x7f]/g, (ch) =>
    ch === '\x7f' ? '^?' : `^${String.fromCharCode(ch.charCodeAt(0) + 64)}`,
  );
}
