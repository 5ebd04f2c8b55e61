// Build step: bundle the command line into a few files under dist/bundle. Node's module loader
// spends time on every file at every start, and a run of the CLI loads some fifty; a pasted error
// was answered about a tenth sooner from the bundle (issue 8's start-up budget).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  // The worker thread of a split scan is an entry of its own: it loads in a thread of its own.
  entryPoints: [`${dist}cli/main.js`, `${dist}extract/half-worker.js`],
  outdir,
  entryNames: '[name]',
  bundle: true,
  // Modules loaded on demand (a renderer, the probe, the prompts) stay out of the first file.
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
console.error('bundled the CLI');
