// A quick no for a list of regexes: a block holds an error or two, so most of a recogniser's list finds
// nothing in it, and one scan with all of a list's patterns costs a third of a scan with each.

export interface Gate {
  /** Whether some regex of the list matches `text`. */
  test(text: string): boolean;
}

/** One alternation of `res`: it matches wherever one of them would. */
function joined(res: readonly RegExp[], flags: string): RegExp | undefined {
  return res.length === 0 ? undefined : new RegExp(res.map((re) => `(?:${re.source})`).join('|'), flags);
}

/**
 * The gate of a list: an alternation of its case-sensitive regexes and one of the others. An
 * alternation matches wherever one of its alternatives would, so the gate says yes exactly when
 * the list would find something; only then need its regexes run, one by one, as they always have.
 */
export function gateOf(res: readonly RegExp[]): Gate {
  for (const re of res) {
    // Joined, a pattern's groups are numbered after those of the patterns before it.
    if (/\\[1-9]|\\k</.test(re.source)) throw new Error(`${re.source}: a back-reference cannot be joined into a gate`);
    if (/[msuvy]/.test(re.flags)) throw new Error(`${re.source}: flags ${re.flags} cannot be joined into a gate`);
  }
  const exact = joined(res.filter((re) => !re.ignoreCase), '');
  const caseless = joined(res.filter((re) => re.ignoreCase), 'i');
  return { test: (text) => (exact?.test(text) ?? false) || (caseless?.test(text) ?? false) };
}
