// Build step: bundle the command line into one CommonJS file under dist/bundle, and the scan's
// worker thread into another. Node's ESM loader spends time on every module it links and on
// every builtin a module imports, and a run of the CLI loaded some twenty chunks; as one CommonJS
// file a pasted error was answered about 10 ms sooner. The modules the CLI loads on demand (a
// renderer, the probe, the prompts) are still set up only when asked for, and packages stay
// outside the bundle: the SDK, the prompts, YAML and zod load only when needed.
import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The package is ESM; the files here are CommonJS.
writeFileSync(`${outdir}/package.json`, '{ "type": "commonjs" }\n');
await build({
  entryPoints: [`${dist}cli/main.js`, `${dist}half-worker.js`],
  outdir,
  entryNames: '[name]',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // The modules find the files beside them (the rules, the prefilter, the worker) from
  // import.meta.url, which CommonJS spells differently.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
console.error('bundled the CLI');
