import { createContext, useContext } from 'react';

/**
 * Colours are a second channel only: every state is also a word. With NO_COLOR (or noColor) the
 * theme returns undefined and nothing is coloured.
 */
export interface Theme {
  color(role: ThemeRole): string | undefined;
  noColor: boolean;
}

export type ThemeRole = 'armed' | 'disarmed' | 'warn' | 'bad' | 'good' | 'muted' | 'focus' | 'accent';

const palette: Record<ThemeRole, string> = {
  armed: 'red',
  disarmed: 'green',
  warn: 'yellow',
  bad: 'red',
  good: 'green',
  muted: 'gray',
  focus: 'cyan',
  accent: 'magenta',
};

export function makeTheme(noColor: boolean): Theme {
  return { noColor, color: (role) => (noColor ? undefined : palette[role]) };
}

export const ThemeContext = createContext<Theme>(makeTheme(false));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** NO_COLOR (https://no-color.org): present and not empty disables colour. */
export function noColorFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '';
}
