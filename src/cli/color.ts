// Decides the colour level: --color/--no-color, then FORCE_COLOR, NO_COLOR, TERM=dumb, then the TTY.
export type ColorLevel = 0 | 1 | 2 | 3;

export function colorLevel(flag: boolean | undefined, stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): ColorLevel {
  if (flag === false) return 0;
  const force = env.FORCE_COLOR;
  if (flag === true) return force && /^[123]$/.test(force) ? (Number(force) as ColorLevel) : 1;
  if (force !== undefined) {
    if (force === '' || force === 'true' || force === '1') return 1;
    if (force === '2' || force === '3') return Number(force) as ColorLevel;
    return 0;
  }
  if (env.NO_COLOR) return 0;
  if (env.TERM === 'dumb') return 0;
  if (!stream.isTTY) return 0;
  return env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit' ? 3 : 2;
}
