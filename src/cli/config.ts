// The config file: `.claude-doctor.yml` or the `claude-doctor` key of package.json, found from
// the current directory upward. Data only: YAML or JSON, validated, never code.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { FAIL_ON, type FailOn } from '../types.js';

export interface Config {
  file: string;
  rules: string[];
  failOn?: FailOn;
  /** Rule id → why it is ignored (the reason is required: someone must be able to review it). */
  ignore: Map<string, string>;
}

const NAMES = ['.claude-doctor.yml', '.claude-doctor.yaml'];

function find(from: string): { file: string; fromPackage: boolean } | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    for (const name of NAMES) if (existsSync(join(dir, name))) return { file: join(dir, name), fromPackage: false };
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>)['claude-doctor'] !== undefined) return { file: pkg, fromPackage: true };
      } catch {
        // A broken package.json is not ours to report.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export async function loadConfig(explicit: string | undefined, enabled: boolean): Promise<Config | undefined> {
  if (!enabled) return undefined;
  const found = explicit ? { file: resolve(explicit), fromPackage: explicit.endsWith('package.json') } : find(process.cwd());
  if (!found) return undefined;
  let text: string;
  try {
    text = readFileSync(found.file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read config file '${found.file}': ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  const { z } = await import('zod');
  const { parseDocument, LineCounter } = await import('yaml');
  const { describeIssue, expandYaml, issueLine } = await import('../engine/load.js');
  const schema = z.strictObject({
    rules: z.array(z.string().min(1)).default([]).describe('extra rule directories, relative to this file'),
    'fail-on': z.enum(FAIL_ON).optional(),
    ignore: z
      .array(z.strictObject({ rule: z.string().min(1), reason: z.string().min(3, 'a reason is required: say why this rule may be ignored') }))
      .default([]),
  });
  const counter = new LineCounter();
  let data: unknown;
  let doc: ReturnType<typeof parseDocument> | undefined;
  if (found.fromPackage) {
    try {
      data = (JSON.parse(text) as Record<string, unknown>)['claude-doctor'];
    } catch (err) {
      throw new UsageError(`${found.file}: invalid JSON: ${(err as Error).message}`);
    }
  } else {
    // yaml's warnings reach stderr through Node unredacted, quoting the file (which may hold a key).
    doc = parseDocument(text, { lineCounter: counter, logLevel: 'error' });
    if (doc.errors.length) throw new UsageError(`${found.file}:${doc.errors[0]!.linePos?.[0]?.line ?? 1}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const expanded = expandYaml(doc, text);
    if ('line' in expanded) throw new UsageError(`${found.file}:${expanded.line}: invalid YAML: ${expanded.message}`);
    data = expanded.data ?? {};
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const line = doc ? issueLine(doc, counter, issue) : 1;
    const required = describeIssue(issue) === 'is required' && issue.path.at(-1) === 'reason';
    const what = required ? 'is required: say why this rule may be ignored' : describeIssue(issue);
    throw new UsageError(`${found.file}${found.fromPackage ? ' ("claude-doctor" key)' : `:${line}`}: ${issue.path.join('.') || '(top level)'}: ${what}`);
  }
  const base = dirname(found.file);
  return {
    file: found.file,
    rules: parsed.data.rules.map((r) => resolve(base, r)),
    ...(parsed.data['fail-on'] ? { failOn: parsed.data['fail-on'] } : {}),
    ignore: new Map(parsed.data.ignore.map((i) => [i.rule, i.reason])),
  };
}
