// Library API: everything the CLI does is reachable from here. The CLI itself imports the modules
// it needs directly, so that a run loads only what it uses.
export { diagnose, scan, type DiagnoseOptions } from './pipeline.js';
export { loadRuleSet } from './engine/ruleset.js';
export { renderJson } from './report/json.js';
export { renderText } from './report/text.js';
export { resolveSources, stdinSource } from './input/sources.js';
export { redact } from './input/redact.js';
export type { ErrorEvent, Finding, Report } from './types.js';
