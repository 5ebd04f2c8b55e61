// Minimal syntax colouring for the retry code in text output: comments, strings, keywords, numbers.
import type { ChalkInstance } from 'chalk';
import type { CodeSample } from '../types.js';

const KEYWORDS: Record<CodeSample['language'], string> = {
  typescript:
    'import|from|export|const|let|var|function|async|await|return|if|else|for|while|of|in|try|catch|finally|throw|new|class|extends|typeof|instanceof|break|continue|true|false|null|undefined|type|interface',
  python: 'import|from|as|def|async|await|return|if|elif|else|for|while|in|not|and|or|try|except|finally|raise|with|class|pass|break|continue|True|False|None|lambda|is|global',
};

export function highlight(sample: CodeSample, c: ChalkInstance): string {
  if (c.level === 0) return sample.code;
  const comment = sample.language === 'python' ? '#[^\\n]*' : '\\/\\/[^\\n]*';
  const token = new RegExp(
    `(${comment})|("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|\`(?:[^\`\\\\]|\\\\.)*\`)|\\b(${KEYWORDS[sample.language]})\\b|\\b(\\d[\\d_.]*)\\b`,
    'g',
  );
  return sample.code.replace(token, (m, com: string, str: string, kw: string, num: string) =>
    com ? c.dim(m) : str ? c.green(m) : kw ? c.magenta(m) : num ? c.yellow(m) : m,
  );
}
