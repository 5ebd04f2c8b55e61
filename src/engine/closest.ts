// "Did you mean": the candidate nearest a misspelt name, by edit distance.

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The nearest candidate, if it is at most `within` edits away (by default a third of the query, at least 3). */
export function closest(query: string, candidates: Iterable<string>, within = Math.max(3, Math.floor(query.length / 3))): string | undefined {
  let best: string | undefined;
  let bestD = within + 1;
  for (const c of candidates) {
    const dd = distance(query, c);
    if (dd < bestD) {
      best = c;
      bestD = dd;
    }
  }
  return best;
}
