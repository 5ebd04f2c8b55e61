// A local stand-in for the Anthropic Messages API, so tests can make the real SDK fail in every
// way the real API does without touching the network. Listens on 127.0.0.1 only, on a random port.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the fake API does with every request it receives. */
export type Script =
  /** An HTTP error response shaped like the API's: JSON envelope, `request-id` header and body field. */
  | {
      kind: 'error';
      status: number;
      type: string;
      message: string;
      /** Defaults to a fresh `req_011C…` id; `null` sends none. */
      requestId?: string | null;
      headers?: Record<string, string>;
    }
  /** HTTP 200 `text/event-stream` that starts a message, then sends `event: error`. */
  | {
      kind: 'stream-error';
      type: string;
      message: string;
      /** Sent as the 200 response's `request-id` header only, as the API does. `null` sends none. */
      requestId?: string | null;
    }
  /** Read the request, never answer it. */
  | { kind: 'hang' };

export interface FakeApi {
  /** Base URL to pass as the SDK's `baseURL`. */
  url: string;
  port: number;
  /** The request id this server answers with, if any. */
  requestId: string | undefined;
  /** Requests received so far. */
  readonly requests: number;
  /** Stop listening and destroy every open socket, hanging ones included. */
  close(): Promise<void>;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A request id in the API's format: `req_011C` followed by 20 base62 characters. */
export function fakeRequestId(): string {
  const bytes = randomBytes(20);
  let id = 'req_011C';
  for (const b of bytes) id += BASE62[b % BASE62.length];
  return id;
}

const open = new Set<FakeApi>();

/** Close every fake API still running; call from afterEach/afterAll so vitest can exit. */
export async function closeAllFakeApis(): Promise<void> {
  await Promise.all([...open].map((api) => api.close()));
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function errorBody(type: string, message: string, requestId: string | undefined): string {
  return JSON.stringify({
    type: 'error',
    error: { type, message },
    ...(requestId ? { request_id: requestId } : {}),
  });
}

function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function respond(script: Script, requestId: string | undefined, res: ServerResponse): void {
  switch (script.kind) {
    case 'error': {
      const body = errorBody(script.type, script.message, requestId);
      res.writeHead(script.status, {
        'content-type': 'application/json',
        ...(requestId ? { 'request-id': requestId } : {}),
        ...script.headers,
      });
      res.end(body);
      return;
    }
    case 'stream-error': {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        ...(requestId ? { 'request-id': requestId } : {}),
      });
      res.write(
        sse('message_start', {
          type: 'message_start',
          message: {
            id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
            type: 'message',
            role: 'assistant',
            model: 'claude-sonnet-4-6',
            content: [],
            stop_reason: null,
            stop_sequence: null,
            usage: { input_tokens: 12, output_tokens: 1 },
          },
        }),
      );
      res.end(sse('error', { type: 'error', error: { type: script.type, message: script.message } }));
      return;
    }
    case 'hang':
      return;
  }
}

/** Start a fake API that answers every request per `script`. */
export async function startFakeApi(script: Script): Promise<FakeApi> {
  const requestId =
    script.kind === 'hang' ? undefined : script.requestId === null ? undefined : (script.requestId ?? fakeRequestId());
  const sockets = new Set<Socket>();
  let requests = 0;

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests++;
    // Answer once the whole request body has arrived, as the API does.
    req.resume();
    req.on('end', () => respond(script, requestId, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server);

  let closing: Promise<void> | undefined;
  const api: FakeApi = {
    url: `http://127.0.0.1:${port}`,
    port,
    requestId,
    get requests() {
      return requests;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        open.delete(api);
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
  open.add(api);
  return api;
}

/** A base URL on 127.0.0.1 that nothing listens on: bind a random port, note it, release it. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
