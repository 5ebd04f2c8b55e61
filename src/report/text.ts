// `--format text`: one block per finding, rustc-style: headline, where, whose, cause, fix, docs.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Category, CodeSample, FailOn, Finding, Occurrence, Report, RetryPolicy } from '../types.js';
import { failsGate } from './build.js';
import { highlight } from './highlight.js';

export interface TextOptions {
  /** chalk level: 0 = no colour. */
  colorLevel: 0 | 1 | 2 | 3;
  width: number;
  failOn: FailOn;
}

export const WHOSE: Record<Category, string> = {
  server: "Anthropic's side",
  'rate-limit': 'your rate limits',
  request: 'your request',
  auth: 'your credentials',
  billing: 'your account billing',
  network: 'your network',
  'client-config': 'your configuration',
  platform: 'your cloud platform (AWS or Google Cloud)',
};

export const RETRY: Record<RetryPolicy, string> = {
  never: 'do not retry',
  backoff: 'retry with exponential backoff',
  'after-header': 'retry after the wait the response asks for',
  'after-fix': 'retrying as-is cannot succeed; fix first',
};

const LABEL = 8;

export function wrap(text: string, width: number, indent: number): string[] {
  const room = Math.max(30, width - indent);
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > room) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

function locations(occ: Occurrence[], count: number): string {
  const bySource = new Map<string, number[]>();
  for (const o of occ) {
    const lines = bySource.get(o.source) ?? [];
    if (!lines.includes(o.line)) lines.push(o.line);
    bySource.set(o.source, lines);
  }
  const MAX = 8;
  let shown = 0;
  const parts: string[] = [];
  for (const [source, lines] of bySource) {
    const room = MAX - shown;
    if (room <= 0) break;
    parts.push(`${source}:${lines.slice(0, room).join(', ')}`);
    shown += Math.min(room, lines.length);
  }
  const more = count - shown;
  return parts.join('; ') + (more > 0 ? ` (+${more} more)` : '');
}

/** The distinct values of one occurrence field, the first `max` of them, and how many more. */
function distinct(occ: Occurrence[], key: 'requestId' | 'customId', max: number): string | undefined {
  const ids = [...new Set(occ.map((o) => o[key]).filter((x): x is string => Boolean(x)))];
  if (ids.length === 0) return undefined;
  return ids.slice(0, max).join(', ') + (ids.length > max ? ` (+${ids.length - max} more)` : '');
}

/** Message Batches requests in this finding, and whether they can go into a new batch unchanged. */
function customIds(f: Finding): string | undefined {
  const shown = distinct(f.occurrences, 'customId', 10);
  return shown && `${shown}: ${f.retryable ? 'can be resubmitted as they are' : 'fix them before resubmitting'}`;
}

/** A labelled field; each entry of `body` starts a new line, `hang` indents its continuation lines. */
function field(c: ChalkInstance, label: string, body: string[], width: number, hang = 0): string[] {
  const pad = ' '.repeat(LABEL + 2);
  const lines: string[] = [];
  body.forEach((para, i) => {
    wrap(para, width, LABEL + 2 + hang).forEach((l, j) => {
      const head = i === 0 && j === 0 ? `  ${c.dim(label.padEnd(LABEL))}` : pad;
      lines.push(`${head}${j > 0 ? ' '.repeat(hang) : ''}${l}`);
    });
  });
  return lines;
}

export function renderFinding(f: Finding, c: ChalkInstance, o: TextOptions): string {
  const failing = failsGate(f, o.failOn);
  const id = f.rule ?? 'unrecognised';
  const tag = failing ? c.red.bold(id) : f.category === 'server' ? c.yellow.bold(id) : c.cyan.bold(id);
  const times = f.count > 1 ? c.dim(` ×${f.count}`) : '';
  if (f.ignored !== undefined) return c.dim(`${id}: ${f.title}${f.count > 1 ? ` ×${f.count}` : ''} (ignored by the config file: ${f.ignored})`);
  const lines = [`${tag}${c.bold(`: ${f.title}`)}${times}`];
  lines.push(...field(c, 'at', [locations(f.occurrences, f.count)], o.width));
  const ids = distinct(f.occurrences, 'requestId', 3);
  if (ids) lines.push(...field(c, 'request', [ids], o.width));
  const batch = customIds(f);
  if (batch) lines.push(...field(c, 'batch', [batch], o.width));
  const whose = f.category ? WHOSE[f.category] : 'unknown: no rule explains this error yet';
  lines.push(...field(c, 'whose', [f.retry ? `${whose} · ${RETRY[f.retry]}` : whose], o.width));
  lines.push(...field(c, 'cause', [f.cause], o.width));
  if (!f.recognised) {
    const first = f.occurrences[0];
    if (first) lines.push(...field(c, 'text', [first.excerpt.length > 300 ? `${first.excerpt.slice(0, 300)}…` : first.excerpt], o.width));
  }
  const steps = f.fix.map((s, i) => (f.fix.length > 1 ? `${i + 1}. ${s}` : s));
  lines.push(...field(c, 'fix', steps, o.width, f.fix.length > 1 ? 3 : 0));
  if (f.docs.length > 0) lines.push(...field(c, 'docs', f.docs, o.width));
  return lines.join('\n');
}

const LANGUAGE_NAMES: Record<CodeSample['language'], string> = { python: 'Python', typescript: 'TypeScript' };

/** Each distinct snippet once, after the findings, named with the findings it is for. */
export function retryCode(findings: Finding[], c: ChalkInstance): string {
  const bySnippet = new Map<string, { sample: CodeSample; rules: string[] }>();
  for (const f of findings) {
    for (const sample of f.code) {
      const key = `${sample.language}\0${sample.code}`;
      const entry = bySnippet.get(key) ?? { sample, rules: [] };
      if (f.rule && !entry.rules.includes(f.rule)) entry.rules.push(f.rule);
      bySnippet.set(key, entry);
    }
  }
  if (bySnippet.size === 0) return '';
  const parts = [...bySnippet.values()].map(({ sample, rules }) => {
    // The program's first line is its one-line note on what it does, so the header only says what it is for.
    const head = c.bold(`── ${LANGUAGE_NAMES[sample.language]} retry code for ${rules.join(', ')} ──`);
    return `${head}\n${highlight(sample, c).trimEnd()}\n`;
  });
  return `${parts.join('\n')}\n`;
}

/** For a batch results file: which failed requests can go into a new batch as they are. */
function batchSummary(findings: Finding[]): string {
  const again = new Set<string>();
  const fix = new Set<string>();
  for (const f of findings) for (const o of f.occurrences) if (o.customId) (f.retryable ? again : fix).add(o.customId);
  if (again.size + fix.size === 0) return '';
  const list = (ids: Set<string>) => [...ids].slice(0, 20).join(', ') + (ids.size > 20 ? `, +${ids.size - 20} more` : '');
  const parts = [
    again.size ? `resubmit as they are: ${list(again)}` : '',
    fix.size ? `fix first: ${list(fix)}` : '',
  ].filter(Boolean);
  return `batch: ${plural(again.size + fix.size, 'failed request')}; ${parts.join('; ')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function renderText(report: Report, o: TextOptions): string {
  const c = new Chalk({ level: o.colorLevel });
  if (report.findings.length === 0) return `${c.green('✓')} no Claude API error found\n`;
  const blocks = report.findings.map((f) => renderFinding(f, c, o));
  const s = report.summary;
  const tail =
    `${plural(s.events, 'Claude API error')} in ${plural(s.findings, 'finding')}` +
    (s.unrecognised > 0 ? `, ${c.red(`${s.unrecognised} unrecognised`)}` : ', all recognised');
  const gate =
    report.exitCode === 1
      ? c.red(`exit 1: --fail-on ${o.failOn} ${o.failOn === 'any' ? '(a Claude error was seen)' : '(an error nobody has explained yet was seen)'}`)
      : c.dim(`exit 0 (--fail-on ${o.failOn})`);
  return `${blocks.join('\n\n')}\n\n${retryCode(report.findings, c)}${batchSummary(report.findings)}${tail} · ${gate}\n`;
}
