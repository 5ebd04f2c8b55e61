// Retry code for findings: the snippets a rule names (rules/snippets/<id>.ts|.py), in the language
// the error came from unless --lang says otherwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client, CodeSample, Finding, Lang } from '../types.js';
import type { Rule } from './schema.js';
import { BUILTIN_RULES_DIR } from './ruleset.js';

export type { Lang } from '../types.js';
type Language = CodeSample['language'];

const EXT: Record<Language, string> = { python: 'py', typescript: 'ts' };
export const SNIPPETS_DIR = join(BUILTIN_RULES_DIR, 'snippets');

/** The snippet used for an error that arrived mid-stream, when the rule lists it. */
const STREAM_SNIPPET = 'stream-restart';

const cache = new Map<string, CodeSample | null>();

/** A snippet file as a code sample; its first comment line is the title users see. */
export function loadSnippet(id: string, language: Language, dir = SNIPPETS_DIR): CodeSample | undefined {
  const key = `${dir}/${id}.${EXT[language]}`;
  if (!cache.has(key)) {
    let sample: CodeSample | null = null;
    try {
      const code = readFileSync(key, 'utf8');
      const first = code.split('\n', 1)[0] ?? '';
      const title = first.replace(/^\s*(?:\/\/|#)\s*/, '').trim() || id;
      sample = { language, title, code };
    } catch {
      sample = null;
    }
    cache.set(key, sample);
  }
  return cache.get(key) ?? undefined;
}

/** Which languages to show: the input's own (a Python traceback gets Python), else both. */
export function languagesFor(client: Client | undefined, lang: Lang | undefined): Language[] {
  if (lang === 'none') return [];
  if (lang === 'python' || lang === 'typescript') return [lang];
  if (lang === 'all') return ['python', 'typescript'];
  if (client === 'python' || client === 'litellm') return ['python'];
  if (client === 'typescript' || client === 'ai-sdk') return ['typescript'];
  return ['python', 'typescript'];
}

/** Fill each recognised finding's `code` from its rule's snippets. */
export function attachCode(findings: Finding[], rules: Map<string, Rule>, lang: Lang | undefined, stream: Set<Finding>): void {
  for (const f of findings) {
    const rule = f.rule ? rules.get(f.rule) : undefined;
    if (!rule || rule.code.length === 0 || f.ignored !== undefined) continue;
    const id = stream.has(f) && rule.code.includes(STREAM_SNIPPET) ? STREAM_SNIPPET : rule.code[0]!;
    f.code = languagesFor(f.client, lang).flatMap((l) => loadSnippet(id, l) ?? []);
  }
}
