import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Agent, request } from 'undici';

import { LineHostBuffer, listen } from '../../src/host/index.js';

/** The ways a host buffer is served in tests. */
export type Mount = 'express' | 'fastify' | 'node';
export const MOUNTS: Mount[] = ['express', 'fastify', 'node'];

/** A server on an ephemeral loopback port, and how to stop it with its connections. */
export interface TestServer {
  origin: string;
  close(): Promise<void>;
}

/** Serves `hbuf` on an ephemeral loopback port the way `mount` says. */
export async function startServer(mount: Mount, hbuf: LineHostBuffer): Promise<TestServer> {
  if (mount === 'node') {
    const server = await listen(hbuf, { port: 0 });
    return { origin: new URL(server.url).origin, close: () => closeServer(server.server) };
  }
  if (mount === 'fastify') {
    const app = Fastify();
    hbuf.serve(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    return { origin: `http://127.0.0.1:${port}`, close: () => app.close() };
  }
  const app = express();
  hbuf.serve(app);
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => closeServer(server) };
}

async function closeServer(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}

/** A request as the vectors describe it. */
export interface CallSpec {
  method: string;
  path: string;
  json?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

/** One client without keep-alive, so a test leaves no connection open behind it. */
const agent = new Agent({ pipelining: 0, keepAliveTimeout: 1 });

/** Sends a request and returns its status, headers and parsed JSON body. */
export async function call(origin: string, spec: CallSpec) {
  const body = spec.raw ?? (spec.json === undefined ? undefined : JSON.stringify(spec.json));
  const res = await request(origin + spec.path, {
    method: spec.method as 'GET',
    dispatcher: agent,
    reset: true,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...spec.headers,
    },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { unparsable: text };
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as Record<string, unknown> };
}
