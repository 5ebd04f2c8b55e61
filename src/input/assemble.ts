// Assembles prefilter.wat into WebAssembly with wabt (a development dependency), at build time
// (build-prefilter.ts); prefilter.ts reads the result from dist/.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../../src/input/prefilter.wat', import.meta.url));

export async function assemble(): Promise<Uint8Array> {
  const { default: wabt } = await import('wabt');
  const module = (await wabt()).parseWat('prefilter.wat', readFileSync(SOURCE, 'utf8'), { simd: true });
  module.validate();
  return module.toBinary({}).buffer;
}
