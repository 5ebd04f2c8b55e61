// A quick no for a recogniser's list of regexes: a block holds an error or two, so most lists find
// nothing in it, and one scan with all of a list's patterns costs a third of a scan with each.

/**
 * A regex that matches wherever one of `res` would (an alternation matches where any of its
 * alternatives does), and perhaps more: without case when any of them is. Only when it matches
 * need the list itself run, each regex as it always has.
 */
export function gateOf(res: readonly RegExp[]): RegExp {
  for (const re of res) {
    // Joined, a pattern's groups are numbered after those of the patterns before it.
    if (/\\[1-9]|\\k</.test(re.source)) throw new Error(`${re.source}: a back-reference cannot be joined into a gate`);
    if (/[msuvy]/.test(re.flags)) throw new Error(`${re.source}: flags ${re.flags} cannot be joined into a gate`);
  }
  return new RegExp(res.map((re) => `(?:${re.source})`).join('|'), res.some((re) => re.ignoreCase) ? 'i' : '');
}

