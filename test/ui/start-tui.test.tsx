import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { startTui } from '../../source/ui/start-tui.js';
import { FakeEngine, container, emptySnapshot } from '../helpers/fake-engine.js';

/** A terminal for startTui: records what is written, takes keys. */
function fakeTerminal(columns = 100, rows = 30) {
  const written: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true,
    columns,
    rows,
    write(chunk: string) {
      written.push(String(chunk));
      return true;
    },
  });
  let data: string | null = null;
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const d = data;
      data = null;
      return d;
    },
    type(text: string) {
      data = text;
      stdin.emit('readable');
    },
  });
  return {
    written,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream & { type(text: string): void },
  };
}

const enter = '\x1b[?1049h';
const leave = '\x1b[?1049l';

describe('startTui', () => {
  it('takes the alternate screen, and q gives the terminal back and resolves', async () => {
    const term = fakeTerminal();
    const done = startTui(new FakeEngine(emptySnapshot({ containers: [container('web-1')] })), {
      readOnly: false,
      stdin: term.stdin,
      stdout: term.stdout,
      noColor: true,
    });
    await vi.waitFor(() => expect(term.written.join('')).toContain('web-1'), { timeout: 10_000 });
    expect(term.written[0]).toContain(enter);
    term.stdin.type('q');
    await done;
    expect(term.written.at(-1)).toContain(leave);
    expect(term.written.at(-1)).toContain('\x1b[?25h');
  });

  it('SIGHUP (a dropped SSH session) quits and restores the terminal', async () => {
    const term = fakeTerminal();
    const before = process.listenerCount('SIGHUP');
    const done = startTui(new FakeEngine(), { readOnly: false, stdin: term.stdin, stdout: term.stdout });
    await vi.waitFor(() => expect(term.written.join('')).toContain('1 Containers'), { timeout: 10_000 });
    process.emit('SIGHUP', 'SIGHUP');
    await done;
    expect(term.written.at(-1)).toContain(leave);
    expect(process.listenerCount('SIGHUP')).toBe(before);
  });

  it('an uncaught exception restores the terminal and rejects with it', async () => {
    const term = fakeTerminal();
    const done = startTui(new FakeEngine(), { readOnly: false, stdin: term.stdin, stdout: term.stdout });
    await vi.waitFor(() => expect(term.written.join('')).toContain('1 Containers'), { timeout: 10_000 });
    const boom = new Error('boom');
    process.emit('uncaughtException', boom);
    await expect(done).rejects.toBe(boom);
    expect(term.written.join('')).toContain(leave);
  });

  it('reports [keys] clashes on the status line instead of failing', async () => {
    const term = fakeTerminal();
    const done = startTui(new FakeEngine(), {
      readOnly: false,
      keys: { pause: 'k' },
      stdin: term.stdin,
      stdout: term.stdout,
    });
    await vi.waitFor(
      () => expect(term.written.join('')).toContain('[keys] pause: k is already bound to up'),
      {
        timeout: 10_000,
      },
    );
    term.stdin.type('q');
    await done;
  });
});
