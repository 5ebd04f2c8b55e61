// Evidence of who produced a piece of text: Anthropic/Claude, another vendor, and which client.
import type { Client, Platform } from '../types.js';

/**
 * Text that only Anthropic's API, SDKs, platforms or Claude Code produce. An event whose own text
 * holds one of these is a Claude error whatever else surrounds it.
 */
const CLAUDE_STRONG = new RegExp(
  [
    'anthropic',
    'claude',
    String.raw`\breq_(?:vrtx_)?01[A-Za-z0-9]{18,}`,
    'overloaded_error',
    // The Anthropic envelope: a top-level `type: error` that wraps an `error` object.
    String.raw`type\\*["']?\s*[:=]\s*\\*["']?error\\*["']?\s*,\s*\\*["']?error\\*["']?\s*[:=]`,
    String.raw`API Error \(.*\) · Retrying in`,
    String.raw`(?<![\[\w])API Error: \d{3}\b`,
    String.raw`⎿\s+(?:API Error|[45]\d\d )`,
    // 529 is Anthropic's own status: no standard or common server sends it.
    String.raw`\b529 <unknown status code>|\bstatus(?: code)?:? 529\b`,
    String.raw`Please run /login|Run /login`,
    // Claude Code's debug log.
    String.raw`Error streaming, falling back to non-streaming mode`,
    String.raw`(?:tool_use|tool_result)\b.{0,20}\bids? were found`,
    // The edge's 403, the one body Anthropic sends without the envelope around it (reference §1.2).
    String.raw`forbidden\W{1,12}message\W{1,12}Request not allowed`,
    // The Messages API's path: no other vendor's API has it.
    String.raw`\/v1\/messages\b`,
    String.raw`credit balance is too low`,
    String.raw`prompt is too long: \d+ tokens`,
    String.raw`input tokens per minute`,
    String.raw`x-api-key`,
  ].join('|'),
  'i',
);

/** Other model vendors and local servers whose errors look like Claude's. */
const OTHER_VENDOR =
  /\bopenai\b|\bmeta\.llama|\bllama[-\s]?\d|amazon\.(?:titan|nova)|\btitan[-\s](?:text|embed|image|tg1)|\bai21\.|\bjamba\b|openai\.com|OpenAIException|\bgpt-[34o]|\bo[134]-mini\b|gemini|generativelanguage|deepseek|perplexity|mistral|\bgroq\b|cohere|ollama|fastchat|\bvllm\b|\bxai\b|\bgrok\b|dashscope|\bqwen\b|moonshot|openrouter/i;

export function hasClaudeSignal(text: string): boolean {
  return CLAUDE_STRONG.test(text);
}

export function hasOtherVendorSignal(text: string): boolean {
  return OTHER_VENDOR.test(text);
}

/** Bedrock's own words for throttling, whichever model it serves. */
const THROTTLED = String.raw`Too many (?:tokens|requests)(?: per (?:minute|day))?, please wait before trying again`;

// Bedrock runtime errors carry no Anthropic words, yet they are Claude's when they name the runtime
// (or Bedrock, or its own wording), unless a model of another vendor is named near them.
const BEDROCK_RUNTIME = new RegExp(
  String.raw`InvokeModel|BedrockException|Converse(?:Stream)? operation|BedrockRuntime|The model returned the following errors|\b[Bb]edrock\b|\bBEDROCK\b|${THROTTLED}|A conversation must alternate between user and assistant roles|Input is too long for requested model|required AWS Marketplace actions`,
);

export function namesBedrockRuntime(text: string): boolean {
  return BEDROCK_RUNTIME.test(text);
}

const BEDROCK = new RegExp(
  String.raw`bedrock|${THROTTLED}|InvokeModel|Converse(?:Stream)? operation|The model returned the following errors|\b(?:Throttling|AccessDenied|Validation|ModelTimeout|ModelError|ModelNotReady|ModelStreamError|ServiceQuotaExceeded)Exception\b|x-amzn-`,
  'i',
);
const VERTEX = /vertex|aiplatform|req_vrtx_|publishers\/|RESOURCE_EXHAUSTED|INVALID_ARGUMENT|FAILED_PRECONDITION|PERMISSION_DENIED|\bNOT_FOUND\b/i;
const CLAUDE_CODE = /(?<!\[)API Error\b|⎿|claude-code|Claude Code|\/login|usage limit reached|Retrying in \d+ seconds…|\$bunfs|~BUN\/root|output token maximum|Unable to connect to API/;

/** Where the API call went. Claude Code's own subscription errors say `claude-code` at their recogniser. */
export function detectPlatform(text: string): Platform {
  if (BEDROCK.test(text)) return 'bedrock';
  if (VERTEX.test(text)) return 'vertex';
  return 'anthropic';
}

const LITELLM = /litellm|AnthropicException|BedrockException|Vertex_aiException/i;
const AI_SDK = /AI_(?:RetryError|APICallError)|Failed after \d+ attempts\. Last error/;
const PYTHON = /Traceback \(most recent call last\)|File "[^"]+\.py", line \d+|\.py:\d+: in |\banthropic\.(?:_exceptions\.)?[A-Z]\w+(?:Error|Exception)\b|Error code: \d{3} - \{'|botocore|\bTypeError: "?Could not resolve authentication method\. Expected (?:either|one of) api_key/;
const NODE = /\bat .*[(\s/\\][^()\s]*\.(?:[cm]?js|ts|tsx):\d+:\d+|@anthropic-ai\/sdk|node:internal|\b\d{3} \{"type":"error"|Expected (?:either|one of) apiKey/;

export function detectClient(text: string): Client | undefined {
  if (CLAUDE_CODE.test(text)) return 'claude-code';
  if (LITELLM.test(text)) return 'litellm';
  if (AI_SDK.test(text)) return 'ai-sdk';
  if (PYTHON.test(text)) return 'python';
  if (NODE.test(text)) return 'typescript';
  return undefined;
}

/**
 * What a text says of whose error it is, each answer worked out when first asked and kept: a block
 * of context (blocks.ts) asks of its own text, and only when a candidate near it asks. The copies
 * of a repeated error (repeats.ts) share one, as their texts differ only in request ids, so it is
 * worked out once for them all: each question is asked with the text, or one of those copies'.
 */
export class TextSignals {
  private isAnthropic: boolean | undefined = undefined;
  private isOther: boolean | undefined = undefined;
  private isBedrock: boolean | undefined = undefined;
  private knownClient: Client | null | undefined = undefined;
  private knownPlatform: Platform | undefined = undefined;

  /** hasClaudeSignal */
  saysAnthropic(text: string): boolean {
    return (this.isAnthropic ??= hasClaudeSignal(text));
  }

  /** hasOtherVendorSignal */
  namesOtherVendor(text: string): boolean {
    return (this.isOther ??= hasOtherVendorSignal(text));
  }

  /** namesBedrockRuntime */
  namesBedrock(text: string): boolean {
    return (this.isBedrock ??= namesBedrockRuntime(text));
  }

  /** detectClient */
  clientOf(text: string): Client | undefined {
    if (this.knownClient === undefined) this.knownClient = detectClient(text) ?? null;
    return this.knownClient ?? undefined;
  }

  /** detectPlatform */
  platformOf(text: string): Platform {
    return (this.knownPlatform ??= detectPlatform(text));
  }
}
