// `npm run readme`: rewrite the README's example outputs and rules table from real runs.
// test/readme.test.ts fails when they are stale; this is how to bring them up to date.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILE = join(ROOT, 'README.md');

function run(args, input = '') {
  const env = { ...process.env, NO_COLOR: '1', CI: 'true' };
  delete env.FORCE_COLOR;
  return spawnSync(process.execPath, [join(ROOT, 'bin/claude-doctor.js'), ...args], { cwd: ROOT, env, encoding: 'utf8', input }).stdout;
}

let text = readFileSync(FILE, 'utf8');

// Blocks that start with a command line show that command's output.
text = text.replace(/(```(?:text|json)\n\$ npx claude-doctor ([^\n]+)\n)[\s\S]*?```/g, (_m, head, args) => `${head}${run(args.split(/\s+/))}\`\`\``);

// The rules table, from the rule files.
const rows = readdirSync(join(ROOT, 'rules'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => {
    const yaml = readFileSync(join(ROOT, 'rules', f), 'utf8');
    const field = (name) => new RegExp(`^${name}: (.+)$`, 'm').exec(yaml)?.[1].trim().replace(/^["']|["']$/g, '') ?? '';
    const title = field('title').replace(/\s*\([^)]*\{\{[^)]*\)/g, '').replace(/\{\{[^}]*\}\}/g, '…');
    return `| \`${field('id')}\` | ${field('category')} | ${title} |`;
  });
text = text.replace(/(\| id \| category \| what it means \|\n\|---\|---\|---\|\n)(?:\|[^\n]*\n)*/, (_m, head) => `${head}${rows.join('\n')}\n`);

writeFileSync(FILE, text);
console.error('README.md updated');
