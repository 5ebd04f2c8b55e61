// The package version, read once from package.json so there is one place to bump it. Two folders
// down from the package, as every module here is, whether built one by one or bundled.
import { readFileSync } from 'node:fs';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
