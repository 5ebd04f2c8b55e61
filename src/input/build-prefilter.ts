// Build step: assemble the prefilter's WebAssembly text into the binary that prefilter.ts loads.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assemble } from './assemble.js';

writeFileSync(fileURLToPath(new URL('./prefilter.wasm', import.meta.url)), await assemble());
console.error('built prefilter.wasm');
