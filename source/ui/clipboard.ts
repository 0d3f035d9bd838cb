/**
 * OSC 52: asks the terminal to put text on the clipboard. It travels with the screen output, so it
 * works over SSH and in tmux (with `set-clipboard on`); no clipboard tool is needed on the host.
 */
export function osc52(text: string): string {
  return `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
}

export function copyToClipboard(out: { write(data: string): unknown }, text: string): void {
  out.write(osc52(text));
}
