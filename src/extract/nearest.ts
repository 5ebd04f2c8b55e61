// The nearest of a row of line spans (blocks of context, in line order) to an event's lines.

export interface Span {
  line: number;
  endLine: number;
}

/** Lines between two spans; 0 when they share one. */
export function gap(a: Span, b: Span): number {
  if (a.endLine < b.line) return b.line - a.endLine;
  if (a.line > b.endLine) return a.line - b.endLine;
  return 0;
}

/**
 * The span of `spans` (from index `first` on) nearest to `to`, at most `within` lines off, that
 * `pick` accepts; of two as near, the earlier. Spans are asked nearest first, so that those further
 * off (whose evidence costs a regex or three to work out) are not asked at all: in line order, their
 * distance falls to `to` and rises after it.
 */
export function nearest<T extends Span>(spans: readonly T[], first: number, to: Span, within: number, pick: (s: T) => boolean): T | undefined {
  let right = first;
  while (right < spans.length && spans[right]!.endLine < to.line) right++;
  let left = right - 1;
  for (;;) {
    const dl = left >= first ? gap(spans[left]!, to) : Infinity;
    const dr = right < spans.length ? gap(spans[right]!, to) : Infinity;
    if (Math.min(dl, dr) > within) return undefined;
    if (dl <= dr) {
      // The pieces of one long line share its numbers: all spans this far off, earliest first.
      let low = left;
      while (low > first && gap(spans[low - 1]!, to) === dl) low--;
      for (let i = low; i <= left; i++) if (pick(spans[i]!)) return spans[i];
      left = low - 1;
    } else {
      if (pick(spans[right]!)) return spans[right];
      right++;
    }
  }
}
