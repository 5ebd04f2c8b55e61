// `npm run schemas`: regenerate the committed JSON Schemas from their zod sources (a test checks they are current).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportJsonSchema } from '../report/schema.js';
import { ruleJsonSchema } from './schema.js';

export const RULE_SCHEMA_FILE = fileURLToPath(new URL('../../rules/rule.schema.json', import.meta.url));
export const REPORT_SCHEMA_FILE = fileURLToPath(new URL('../../src/report/report.schema.json', import.meta.url));

export function schemaText(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(RULE_SCHEMA_FILE, schemaText(ruleJsonSchema()));
  writeFileSync(REPORT_SCHEMA_FILE, schemaText(reportJsonSchema()));
  console.error(`wrote ${RULE_SCHEMA_FILE} and ${REPORT_SCHEMA_FILE}`);
}
