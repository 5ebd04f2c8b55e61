// The JSON output document (DESIGN §6, schemaVersion 1) as a zod schema; the shipped JSON Schema is generated from it.
import { z } from 'zod';
import { CATEGORIES, RETRY_POLICIES } from '../types.js';

const Occurrence = z.strictObject({
  source: z.string().describe('File path, or "stdin"'),
  line: z.number().int().min(1),
  endLine: z.number().int().min(1),
  requestId: z.string().optional().describe('Anthropic request id (req_…); quote it to support'),
  customId: z.string().optional().describe('Message Batches custom_id of the failed request'),
  timestamp: z.string().optional().describe('Timestamp the log line carried'),
  excerpt: z.string().describe('Redacted text the error was read from'),
});

const Code = z.strictObject({
  language: z.enum(['python', 'typescript']),
  title: z.string(),
  code: z.string(),
});

const Finding = z.strictObject({
  rule: z.string().nullable().describe('Rule id (contract), or null when no rule explains the error'),
  recognised: z.boolean(),
  title: z.string(),
  category: z.enum(CATEGORIES).nullable().describe("Whose problem it is; null when unrecognised"),
  status: z.number().int().optional(),
  type: z.string().optional().describe('error.type from the API body'),
  message: z.string().optional(),
  errorCode: z.string().optional().describe('error.details.error_code'),
  errorClass: z.string().optional().describe('SDK or platform exception class'),
  errno: z.string().optional().describe('errno or TLS code, e.g. ECONNRESET'),
  platform: z.enum(['anthropic', 'bedrock', 'vertex', 'claude-code', 'unknown']),
  client: z.string().optional().describe('The client that printed the error: python, typescript, claude-code, litellm, ai-sdk, …'),
  retryable: z.boolean().nullable(),
  retry: z.enum(RETRY_POLICIES).nullable(),
  ignored: z.string().optional().describe('Why the config file ignores this rule; an ignored finding never trips the gate'),
  count: z.number().int().min(1),
  occurrences: z.array(Occurrence).describe('In input order; at most 1000 are listed, `count` is the total'),
  cause: z.string(),
  fix: z.array(z.string()),
  docs: z.array(z.string()),
  code: z.array(Code).describe('Retry code for this error: complete programs, in the language the error came from unless --lang says otherwise'),
});

export const ReportDocumentSchema = z.strictObject({
  schemaVersion: z.literal(1),
  tool: z.strictObject({ name: z.literal('claude-doctor'), version: z.string() }),
  findings: z.array(Finding),
  summary: z.strictObject({
    events: z.number().int().min(0),
    findings: z.number().int().min(0),
    recognised: z.number().int().min(0),
    unrecognised: z.number().int().min(0),
  }),
  exitCode: z.union([z.literal(0), z.literal(1)]),
});

export type ReportDocument = z.infer<typeof ReportDocumentSchema>;

export function reportJsonSchema(): unknown {
  return {
    $id: 'https://github.com/claude-doctor/claude-doctor/schemas/report-v1.json',
    title: 'claude-doctor --format json output, schemaVersion 1',
    ...(z.toJSONSchema(ReportDocumentSchema, { target: 'draft-7' }) as object),
  };
}
