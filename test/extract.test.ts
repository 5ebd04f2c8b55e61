// Extraction: each paste form yields the right facts; other vendors' errors yield nothing.
import { describe, expect, it } from 'vitest';
import { extractEventsSync } from '../src/extract/extract.js';
import { stringLines } from '../src/input/lines.js';
import type { ErrorEvent } from '../src/types.js';

const events = (text: string): ErrorEvent[] => extractEventsSync(stringLines(text, 'paste'));
const one = (text: string): ErrorEvent => {
  const got = events(text);
  expect(got, JSON.stringify(got, null, 1)).toHaveLength(1);
  return got[0]!;
};

describe('API bodies', () => {
  it('raw JSON envelope on one line', () => {
    const e = one('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CXnukXFhq5zC25S7ev2cy"}');
    expect(e).toMatchObject({ status: 529, type: 'overloaded_error', message: 'Overloaded', requestId: 'req_011CXnukXFhq5zC25S7ev2cy', line: 1 });
  });

  it('pretty-printed JSON spread over lines keeps its line span', () => {
    const e = one('log start\n{\n  "type": "error",\n  "error": {\n    "type": "not_found_error",\n    "message": "model: claude-3-opus"\n  }\n}\nlog end');
    expect(e).toMatchObject({ type: 'not_found_error', status: 404, message: 'model: claude-3-opus' });
    expect(e.line).toBeGreaterThanOrEqual(2);
    expect(e.endLine).toBeLessThanOrEqual(8);
  });

  it("a time's milliseconds before a body are not its status (Python's logging format)", () => {
    const e = one('2026-11-24 17:22:01,553 ERROR {"type":"error","error":{"type":"api_error","message":"Internal server error"}}');
    expect(e).toMatchObject({ status: 500, type: 'api_error', timestamp: '2026-11-24T17:22:01.553' });
    expect(one('12:03:44.401 WARN {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}').status).toBe(529);
    // A status of its own, at the start of a line or after a space, is still read.
    expect(one('529 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}').status).toBe(529);
  });

  it('Python SDK dict repr with the exception class', () => {
    const e = one(
      `anthropic.InternalServerError: Error code: 500 - {'type': 'error', 'error': {'type': 'api_error', 'message': 'Internal server error'}, 'request_id': 'req_011CZrhNFwQLDjuHQriM5YKc'}`,
    );
    expect(e).toMatchObject({ status: 500, type: 'api_error', errorClass: 'InternalServerError', client: 'python', requestId: 'req_011CZrhNFwQLDjuHQriM5YKc' });
  });

  it('a Python message containing a quote is read to its real end', () => {
    const e = one(`Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error', 'message': "This request would exceed your organization's rate limit of 50,000 input tokens per minute."}}`);
    expect(e.message).toBe("This request would exceed your organization's rate limit of 50,000 input tokens per minute.");
  });

  it('TypeScript SDK message with a stack', () => {
    const e = one(
      'Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011CVzA1kL2mN3pQ4rS5tU6v"}\n    at Anthropic.makeStatusError (/app/node_modules/@anthropic-ai/sdk/client.js:402:32)',
    );
    expect(e).toMatchObject({ status: 401, type: 'authentication_error', client: 'typescript' });
  });

  it('JSON escaped twice inside other JSON (Go server logs)', () => {
    const e = one(
      String.raw`{"level":"error","error":"non 200 response from anthropic: 400 Bad Request\nBody:\n{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"messages: roles must alternate between \\\"user\\\" and \\\"assistant\\\"\"}}"}`,
    );
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', message: 'messages: roles must alternate between "user" and "assistant"' });
  });

  it('Vertex envelope holding the Anthropic body as a string is one event, Vertex platform', () => {
    const e = one(
      String.raw`{"error":{"code":400,"message":"{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"},\"request_id\":\"req_vrtx_011CX8LKNqFusFUVvygN5vEH\"}","status":"INVALID_ARGUMENT"}}`,
    );
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', platform: 'vertex', requestId: 'req_vrtx_011CX8LKNqFusFUVvygN5vEH' });
    expect(e.message).toMatch(/^prompt is too long/);
  });

  it('unquoted repr and truncated JSON still yield type and message', () => {
    expect(one('Error: Error code: 401 - {type: error, error: {type: authentication_error, message: invalid x-api-key}}')).toMatchObject({
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    });
    expect(one('API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal serv')).toMatchObject({ status: 500, type: 'api_error' });
  });

  it('terminal hard wraps inside identifiers and across lines are undone', () => {
    const e = one('  API error: 529 {"type":"error","error":{"type":"overload     ed_error","message":"Overloaded"},"request_id":"req_011C     cLPrMiu53v6Rp1jfe1Cd"}');
    expect(e).toMatchObject({ type: 'overloaded_error', requestId: 'req_011CcLPrMiu53v6Rp1jfe1Cd' });
    const w = one('API Error: 401 \n    {"type":"error","error":{"type":"authentication_error","message":"OAuth\n     token has expired."},"request_id":"req_011CSSdA5fqJCVm1m4XMjNks"}');
    expect(w).toMatchObject({ status: 401, message: 'OAuth token has expired.', line: 1, endLine: 3 });
  });

  it('a key a narrow terminal broke inside its quotes is read whole; a broken message keeps a space', () => {
    const e = one('⎿  API Error: 400 {"type":"error","error":{"type":"invalid_request_error","mess\n    age":"messages.2.content.0.image.source.base64: image\n    exceeds 5 MB maximum: 6647864 bytes > 5242880\n    bytes"},"request_id":"req_011CSXKc9a8iS9NCUhoJSEt3"}');
    expect(e).toMatchObject({ status: 400, message: 'messages.2.content.0.image.source.base64: image exceeds 5 MB maximum: 6647864 bytes > 5242880 bytes', requestId: 'req_011CSXKc9a8iS9NCUhoJSEt3' });
  });

  it('masked or foreign request ids are not reported', () => {
    expect(one('API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"x"}').requestId).toBeUndefined();
    expect(one('{"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011"}').requestId).toBeUndefined();
  });
});

describe('other printed forms', () => {
  it('Python 2 unicode reprs with None', () => {
    const e = one("anthropic.BadRequestError: Error code: 400 - {u'type': u'error', u'error': {u'type': u'invalid_request_error', u'message': u'max_tokens: 100000 > 64000'}, u'request_id': None}");
    expect(e).toMatchObject({ status: 400, type: 'invalid_request_error', message: 'max_tokens: 100000 > 64000' });
    expect(e.requestId).toBeUndefined();
  });

  it.each([
    ['a gateway plain-text 503', 'anthropic.InternalServerError: Error code: 503 - upstream connect error or disconnect/reset before headers', 503, /^upstream connect error/],
    ['a plain-text 404 through the TS SDK', 'Error: 404 404 page not found\n    at APIError.generate (/app/node_modules/@anthropic-ai/sdk/core/error.js:48:20)', 404, /^404 page not found$/],
    ['an nginx HTML page', "anthropic.APIStatusError: Error code: 413 - <html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>", 413, /Request Entity Too Large/],
  ])('status with a body that is not an API envelope: %s', (_name, text, status, message) => {
    const e = one(text);
    expect(e.status).toBe(status);
    expect(e.message).toMatch(message);
  });

  it('Go and Rust wordings of network failures, with an Anthropic URL nearby', () => {
    expect(one('Post "https://api.anthropic.com/v1/messages": dial tcp: lookup api.anthropic.com: no such host').code).toBe('ENOTFOUND');
    const rust = one(
      'Error: request to https://api.anthropic.com/v1/messages failed\n\nCaused by:\n    0: error sending request\n    1: client error (Connect)\n    2: invalid peer certificate: UnknownIssuer',
    );
    expect(rust.code).toBe('UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
  });

  it('a Message Batches result line carries its custom_id', () => {
    const e = one('{"custom_id":"doc-7","result":{"type":"errored","error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}}');
    expect(e).toMatchObject({ customId: 'doc-7', batchResult: 'errored', type: 'overloaded_error' });
    expect(one('{"custom_id":"doc-8","result":{"type":"expired"}}')).toMatchObject({ customId: 'doc-8', batchResult: 'expired' });
    expect(events('{"custom_id":"doc-9","result":{"type":"succeeded","message":{"content":[]}}}')).toEqual([]);
  });
});

describe('Claude Code lines', () => {
  it('a retry ladder yields one event per attempt, with the status', () => {
    const got = events(
      [
        'API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}) · Retrying in 1 seconds… (attempt 1/10)',
        '  ⎿  API Error (Request timed out.) · Retrying in 2 seconds… (attempt 2/10)',
      ].join('\n'),
    );
    expect(got.map((e) => [e.status, e.type, e.message, e.client])).toEqual([
      [529, 'overloaded_error', 'Overloaded', 'claude-code'],
      [undefined, undefined, 'Request timed out.', 'claude-code'],
    ]);
  });

  it('plain-text API Error lines', () => {
    expect(one('API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.')).toMatchObject({ status: 529 });
    expect(one('Unable to connect to API (ECONNRESET)')).toMatchObject({ code: 'ECONNRESET', client: 'claude-code' });
  });

  it("a failure under Claude Code's ⎿, with no other word of its own, is Claude Code's", () => {
    expect(one('POST https://api.anthropic.com/v1/messages\n  ⎿  Request timed out.')).toMatchObject({ message: 'Request timed out.', client: 'claude-code' });
  });
});

describe('blocks of lines', () => {
  it('a Node error, its stack and the properties util.inspect prints after it are one event', () => {
    const e = one(
      [
        'Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        '    at APIError.generate (/app/node_modules/@anthropic-ai/sdk/error.js:60:20)',
        '    at Anthropic.makeStatusError (/app/node_modules/@anthropic-ai/sdk/client.js:302:32) {',
        '  status: 529,',
        "  headers: { 'request-id': 'req_011CXnukXFhq5zC25S7ev2cy' },",
        "  request_id: 'req_011CXnukXFhq5zC25S7ev2cy',",
        "  error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }",
        '}',
      ].join('\n'),
    );
    expect(e).toMatchObject({ line: 1, endLine: 7, type: 'overloaded_error', requestId: 'req_011CXnukXFhq5zC25S7ev2cy' });
  });

  it('labelled lines, bracketed or not, are read as one record', () => {
    for (const [type, message] of [
      ['[Type]: ValidationException', '[Message]: messages: roles must alternate between "user" and "assistant"'],
      ['Type: ValidationException', 'Message: messages: roles must alternate between "user" and "assistant"'],
    ]) {
      expect(one(`${type}\n${message}\nRequest ID: 1234`)).toMatchObject({ line: 1, endLine: 2 });
    }
  });
});

describe('counting', () => {
  it('identical errors on lines of their own are separate occurrences', () => {
    const line = 'Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}';
    expect(events(`${line}\n${line}\n${line}`).map((e) => e.line)).toEqual([1, 2, 3]);
  });

  it('one record stating its error twice (message and stack) is one', () => {
    const rec = JSON.stringify({ message: 'Failed after 2 attempts. Last error: This request would exceed your organization\'s rate limit of 30,000 input tokens per minute.', stack: 'AI_RetryError: Failed after 2 attempts. Last error: This request would exceed your organization\'s rate limit of 30,000 input tokens per minute.\n    at x (/app/node_modules/ai/dist/index.mjs:1:1)' });
    expect(events(rec)).toHaveLength(1);
  });
});

describe('transport errors need Claude context', () => {
  it('a bare "Connection error." with no context is not claimed', () => {
    expect(events('Connection error.')).toEqual([]);
  });

  it('the same line next to an @anthropic-ai/sdk frame is', () => {
    const e = one('Error: Connection error.\n    at Anthropic.makeRequest (/app/node_modules/@anthropic-ai/sdk/src/core.ts:479:13)');
    expect(e).toMatchObject({ message: 'Connection error.', client: 'typescript' });
  });

  it("a headline and, after a blank line, the failure it stands for are one event (Claude Code's banner)", () => {
    const e = one(' Unable to connect to Anthropic services\n\n Failed to connect to api.anthropic.com: SELF_SIGNED_CERT_IN_CHAIN\n\n Please check your internet connection and network settings.');
    expect(e).toMatchObject({ message: 'Unable to connect to Anthropic services', code: 'SELF_SIGNED_CERT_IN_CHAIN', client: 'claude-code' });
  });

  it('TLS failures carry their code', () => {
    const e = one('anthropic.APIConnectionError: Connection error.\nhttpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)');
    expect(events('anthropic.APIConnectionError: Connection error.\nhttpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed').some((x) => x.code === 'CERTIFICATE_VERIFY_FAILED')).toBe(true);
    expect(e.errorClass ?? e.code).toBeDefined();
  });
});

describe('other vendors', () => {
  it.each([
    ['OpenAI overloaded', 'message: That model is currently overloaded with other requests. You can retry your request, or contact us through our help center at help.openai.com. type: server_error'],
    ['OpenAI invalid request', '{"error":{"message":"Invalid model","type":"invalid_request_error","param":"model","code":"model_not_found"}} openai.BadRequestError'],
    ['Gemini 503', 'litellm.ServiceUnavailableError: GeminiException - {"error":{"code":503,"message":"This model is currently experiencing high demand.","status":"UNAVAILABLE"}}'],
    ['Gemini CLI', '✕ [API Error: [{"error":{"code":403,"message":"The caller does not have permission","status":"PERMISSION_DENIED"}}]]'],
    ['a local server stream drop', 'httpx.RemoteProtocolError: peer closed connection without sending complete message body (incomplete chunked read)\n  File "fastchat/serve/openai_api_server.py", line 473'],
  ])('%s is not a Claude error', (_name, text) => {
    expect(events(text)).toEqual([]);
  });
});

describe('streams and platforms', () => {
  it('SSE event: error after a 200 is marked as a stream error', () => {
    const e = one('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    expect(e).toMatchObject({ type: 'overloaded_error', stream: true });
  });

  it('Bedrock botocore errors name the platform and the exception', () => {
    const e = one('botocore.errorfactory.ThrottlingException: An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many tokens, please wait before trying again.');
    expect(e).toMatchObject({ platform: 'bedrock', errorClass: 'ThrottlingException', status: 429, message: 'Too many tokens, please wait before trying again.' });
  });

  it('timestamps on log lines are kept', () => {
    const e = one('2026-11-24T14:05:40.117Z WARN upstream: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}');
    expect(e.timestamp).toBe('2026-11-24T14:05:40.117Z');
  });

  it("a line's timestamp goes to each error on it, the second too, though it sits before the first", () => {
    const got = events(
      '2026-11-24T10:00:01Z retry log: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}} then {"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
    );
    expect(got.map((e) => [e.type, e.timestamp])).toEqual([
      ['overloaded_error', '2026-11-24T10:00:01Z'],
      ['rate_limit_error', '2026-11-24T10:00:01Z'],
    ]);
  });
});
