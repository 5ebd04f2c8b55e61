// Build step: bundle the command line into one CommonJS file under dist/bundle, and the scan's
// worker thread into another. Node's ESM loader spends time on every module it links and on
// every builtin a module imports, and a run of the CLI loaded some twenty chunks; as one CommonJS
// file a pasted error was answered about 10 ms sooner. The modules the CLI loads on demand (a
// renderer, the probe, the prompts) are still set up only when asked for, and packages stay
// outside the bundle: the SDK, the prompts, YAML and zod load only when needed.
//
// Two packages every diagnosis loads are bundled into files of their own beside the CLI's.
// Commander (every run but `--version`): from node_modules it is seven files to resolve and read,
// which cost `--help` some 3 ms (80 against 77 ms, alternated runs). Chalk (text output): it is
// an ES module, which a CommonJS file's require() hands to Node's ESM loader; a paste answered as
// text took 115 ms against 110. In the CLI's own file they would make `--version`, which needs
// neither, parse half as much again. The library (dist/index.js) still imports chalk itself.
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${dist}bundle`;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
// The package is ESM; the files here are CommonJS.
writeFileSync(`${outdir}/package.json`, '{ "type": "commonjs" }\n');
const commonjs: BuildOptions = { outdir, bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'warning' };
await build({
  ...commonjs,
  entryPoints: [`${dist}cli/main.js`, `${dist}half-worker.js`],
  entryNames: '[name]',
  packages: 'external',
  // The modules find the files beside them (the rules, the prefilter, the worker) from
  // import.meta.url, which CommonJS spells differently.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      name: 'packages-beside',
      setup: (b) => void b.onResolve({ filter: /^(?:commander|chalk)$/ }, (args) => ({ path: `./${args.path}.js`, external: true })),
    },
  ],
});
await build({ ...commonjs, entryPoints: { commander: 'commander', chalk: 'chalk' } });
console.error('bundled the CLI');
