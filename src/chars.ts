// Character classes by code, for the loops that look at text a character at a time without
// making strings of it.

/** A character `\w` matches, and so `\b` takes for part of a word: an ASCII letter, digit or `_`. */
export const isWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
