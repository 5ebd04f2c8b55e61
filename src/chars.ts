// Character classes by code, for the loops that look at text a character at a time without
// making strings of it.

/** An ASCII letter or digit. */
export const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** A character `\w` matches, and so `\b` takes for part of a word: an ASCII letter, digit or `_`. */
export const isWordChar = (c: number) => isAlnum(c) || c === 95;

/** A character `\s` matches: ASCII whitespace and the Unicode spaces. */
export function isSpaceChar(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** How many times `part` occurs in `text`: indexOf is a native search, many times faster than a loop over characters. */
export function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) n++;
  return n;
}
