// The values that cross module edges: lines in, events out of extract, findings out of the engine.

export type Platform = 'anthropic' | 'bedrock' | 'vertex' | 'claude-code' | 'unknown';
export type Client = 'python' | 'typescript' | 'claude-code' | 'litellm' | 'ai-sdk' | 'curl' | 'go' | 'unknown';

/** One physical line of input, already redacted and stripped of terminal escapes. */
export interface Line {
  source: string;
  line: number;
  text: string;
  /**
   * Set by the scan's prefilter: whether the line holds a trigger word. `false` means no recogniser
   * can anchor on it, so the extractor keeps it only as context; absent means nobody looked.
   */
  hit?: boolean;
}

/** Structured facts about one error, pulled out of whatever form it was pasted in. */
export interface ErrorEvent {
  line: number;
  endLine: number;
  source: string;
  /** Redacted excerpt that produced the event. */
  text: string;
  /** HTTP status, or the status the API error type implies. */
  status?: number;
  type?: string;
  message?: string;
  errorCode?: string;
  errorClass?: string;
  /** errno / TLS code such as ECONNRESET or SELF_SIGNED_CERT_IN_CHAIN. */
  code?: string;
  platform: Platform;
  client?: Client;
  /** Arrived as an SSE `event: error` after HTTP 200. */
  stream?: boolean;
  requestId?: string;
  timestamp?: string;
  headers?: Record<string, string>;
  /** Message Batches: the request's `custom_id`, and how the result ended. */
  customId?: string;
  batchResult?: 'errored' | 'expired';
}

/** The event fields a rule condition may test. */
export const MATCHABLE_FIELDS = [
  'status',
  'type',
  'message',
  'errorCode',
  'errorClass',
  'code',
  'platform',
  'client',
  'stream',
  'text',
  'batchResult',
] as const;
export type MatchableField = (typeof MATCHABLE_FIELDS)[number];

export const CATEGORIES = [
  'server',
  'rate-limit',
  'request',
  'auth',
  'billing',
  'network',
  'client-config',
  'platform',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const RETRY_POLICIES = ['never', 'backoff', 'after-header', 'after-fix'] as const;
export type RetryPolicy = (typeof RETRY_POLICIES)[number];

export const FAIL_ON = ['unknown', 'any', 'never'] as const;

/** Output formats of a diagnosis. */
export const FORMATS = ['text', 'json', 'github', 'markdown', 'sarif', 'junit'] as const;
export type Format = (typeof FORMATS)[number];

/** Retry code languages: the input's own by default. */
export const LANGS = ['python', 'typescript', 'all', 'none'] as const;
export type Lang = (typeof LANGS)[number];
export type FailOn = (typeof FAIL_ON)[number];

export interface Occurrence {
  source: string;
  line: number;
  endLine: number;
  requestId?: string;
  /** Message Batches `custom_id`, when the error came from a batch results file. */
  customId?: string;
  timestamp?: string;
  excerpt: string;
}

export interface CodeSample {
  language: 'python' | 'typescript';
  title: string;
  code: string;
}

export interface Finding {
  rule: string | null;
  recognised: boolean;
  title: string;
  category: Category | null;
  status?: number;
  type?: string;
  message?: string;
  errorCode?: string;
  errorClass?: string;
  /** The event's errno / TLS code (`code` in the JSON output holds retry code, per DESIGN §6). */
  errno?: string;
  platform: Platform;
  /** The client the error was printed by, as far as the text tells (decides the code's language). */
  client?: Client;
  retryable: boolean | null;
  retry: RetryPolicy | null;
  /** Ignored by the config file, with its reason: reported, never counted by the gate. */
  ignored?: string;
  count: number;
  occurrences: Occurrence[];
  cause: string;
  fix: string[];
  docs: string[];
  code: CodeSample[];
}

export interface Report {
  findings: Finding[];
  summary: { events: number; findings: number; recognised: number; unrecognised: number };
  exitCode: 0 | 1;
  /** Inputs that could not be read completely; reported, never silently dropped. */
  warnings: string[];
}
