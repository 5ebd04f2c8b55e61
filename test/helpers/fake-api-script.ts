// A scripted stand-in for the Anthropic API, for running the retry snippets in rules/snippets/
// end to end. Each Messages request takes the next step of a script (the last step repeats);
// count_tokens, models and batches answer with valid, API-shaped bodies. 127.0.0.1 only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fakeRequestId } from './fake-api.js';

/** What the fake API does with one POST /v1/messages request. */
export type Step =
  /** A valid Message (an SSE stream when the request asked for `stream: true`). */
  | { kind: 'ok' }
  /** An HTTP error in the API's envelope, with `request-id` header and body field. */
  | {
      kind: 'error';
      status: number;
      type: string;
      message: string;
      /** Sent as `error.details.error_code`. */
      errorCode?: string;
      headers?: Record<string, string>;
    }
  /** HTTP 200 SSE: message_start, a little text, then `event: error`. */
  | { kind: 'stream-error'; type: string; message: string }
  /** Read the request, then drop the connection without answering. */
  | { kind: 'close' };

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  body: unknown;
}

export interface ScriptedApiOptions {
  /** Steps for POST /v1/messages, in order; the last one repeats. Defaults to `[{kind:'ok'}]`. */
  messages?: Step[];
  /** What POST /v1/messages/count_tokens reports as `input_tokens`. */
  inputTokens?: number;
  /** How many batch retrieves answer `in_progress` before the batch has `ended`. */
  batchPollsInProgress?: number;
}

export interface ScriptedApi {
  url: string;
  readonly requests: RecordedRequest[];
  /** Number of POST /v1/messages requests (the Messages endpoint itself, not its sub-paths). */
  readonly messageRequests: number;
  close(): Promise<void>;
}

export const FAKE_MODEL = 'claude-sonnet-4-6';

function msgId(): string {
  return `msg_01${fakeRequestId().slice(8)}`;
}

/** A Messages API response body as the API sends it. */
export function messageBody(text = 'Hello'): Record<string, unknown> {
  return {
    id: msgId(),
    type: 'message',
    role: 'assistant',
    model: FAKE_MODEL,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 5 },
  };
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function streamStart(): string {
  return (
    sse('message_start', {
      type: 'message_start',
      message: { ...messageBody(), content: [], stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } },
    }) +
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) +
    sse('ping', { type: 'ping' }) +
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } })
  );
}

function streamRest(): string {
  return (
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } }) +
    sse('content_block_stop', { type: 'content_block_stop', index: 0 }) +
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 5 },
    }) +
    sse('message_stop', { type: 'message_stop' })
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': fakeRequestId(), ...headers });
  res.end(JSON.stringify(body));
}

function batchObject(id: string, ended: boolean, count: number, url: string): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : 'in_progress',
    request_counts: ended
      ? { processing: 0, succeeded: Math.max(count - 1, 0), errored: Math.min(count, 1), canceled: 0, expired: 0 }
      : { processing: count, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: now,
    expires_at: new Date(Date.now() + 24 * 3600_000).toISOString(),
    ended_at: ended ? now : null,
    archived_at: null,
    cancel_initiated_at: null,
    results_url: ended ? `${url}/v1/messages/batches/${id}/results` : null,
  };
}

/** Start a scripted fake API on a random port of 127.0.0.1. */
export async function startScriptedApi(opts: ScriptedApiOptions = {}): Promise<ScriptedApi> {
  const script = opts.messages?.length ? opts.messages : [{ kind: 'ok' } as Step];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let messageRequests = 0;
  let url = '';
  const batches = new Map<string, { customIds: string[]; polls: number }>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({ method, path, body });

    if (method === 'POST' && path === '/v1/messages') {
      const step = script[Math.min(messageRequests, script.length - 1)]!;
      messageRequests++;
      const streaming = (body as { stream?: unknown } | undefined)?.stream === true;
      switch (step.kind) {
        case 'close':
          req.socket.destroy();
          return;
        case 'error': {
          const requestId = fakeRequestId();
          res.writeHead(step.status, {
            'content-type': 'application/json',
            'request-id': requestId,
            ...(step.headers ?? {}),
          });
          res.end(
            JSON.stringify({
              type: 'error',
              error: {
                type: step.type,
                message: step.message,
                ...(step.errorCode ? { details: { error_code: step.errorCode } } : {}),
              },
              request_id: requestId,
            }),
          );
          return;
        }
        case 'stream-error':
          res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': fakeRequestId() });
          res.end(streamStart() + sse('error', { type: 'error', error: { type: step.type, message: step.message } }));
          return;
        case 'ok':
          if (streaming) {
            res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': fakeRequestId() });
            res.end(streamStart() + streamRest());
          } else {
            json(res, 200, messageBody());
          }
          return;
      }
    }

    if (method === 'POST' && path === '/v1/messages/count_tokens') {
      json(res, 200, { input_tokens: opts.inputTokens ?? 10 });
      return;
    }

    const model = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (method === 'GET' && model) {
      json(res, 200, {
        type: 'model',
        id: decodeURIComponent(model[1]!),
        display_name: 'Claude Sonnet 4.6',
        created_at: '2026-02-17T00:00:00Z',
        deprecated_at: null,
        capabilities: null,
        max_input_tokens: 200000,
        max_tokens: 64000,
      });
      return;
    }

    if (method === 'POST' && path === '/v1/messages/batches') {
      const reqs = (body as { requests?: { custom_id: string }[] } | undefined)?.requests ?? [];
      const id = `msgbatch_01${fakeRequestId().slice(8)}`;
      batches.set(id, { customIds: reqs.map((r) => r.custom_id), polls: 0 });
      json(res, 200, batchObject(id, false, reqs.length, url));
      return;
    }

    const results = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path);
    if (method === 'GET' && results && batches.has(results[1]!)) {
      const b = batches.get(results[1]!)!;
      res.writeHead(200, { 'content-type': 'application/binary', 'request-id': fakeRequestId() });
      const lines = b.customIds.map((custom_id, i) =>
        JSON.stringify({
          custom_id,
          result:
            i === b.customIds.length - 1 && i > 0
              ? {
                  type: 'errored',
                  error: {
                    type: 'error',
                    error: { type: 'overloaded_error', message: 'Overloaded' },
                    request_id: fakeRequestId(),
                  },
                }
              : { type: 'succeeded', message: messageBody() },
        }),
      );
      res.end(lines.join('\n') + '\n');
      return;
    }

    const batch = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path);
    if (method === 'GET' && batch && batches.has(batch[1]!)) {
      const b = batches.get(batch[1]!)!;
      b.polls++;
      json(res, 200, batchObject(batch[1]!, b.polls > (opts.batchPollsInProgress ?? 1), b.customIds.length, url));
      return;
    }

    json(res, 404, {
      type: 'error',
      error: { type: 'not_found_error', message: `Not found: ${method} ${path}` },
      request_id: fakeRequestId(),
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    requests,
    get messageRequests() {
      return messageRequests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
