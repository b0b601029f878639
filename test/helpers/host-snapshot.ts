import assert from 'node:assert/strict';

import { call, type CallSpec } from './servers.js';

/** What a client can see of a host buffer: its items and its states. */
/** The answer to an applied write while the stop flag is not set. */
export const OK = { message: 'success', closed: false };

export interface HostSnapshot {
  items: unknown;
  curlen: unknown;
  closed: unknown;
}

/** Reads every item and the `curlen` and `closed` states of the buffer at `route`. */
export async function snapshot(origin: string, route = '/sync-stream'): Promise<HostSnapshot> {
  const get = async (path: string) => {
    const res = await call(origin, { method: 'GET', path });
    assert.equal(res.status, 200, `GET ${path}: ${JSON.stringify(res.body)}`);
    return res.body.data;
  };
  return {
    items: await get(route),
    curlen: await get(`${route}-state?state=curlen`),
    closed: await get(`${route}-state?state=closed`),
  };
}

/** POSTs `json` to `path` and checks the answer is 201 success. */
export async function postOk(origin: string, json: unknown, path = '/sync-stream') {
  const res = await call(origin, { method: 'POST', path, json });
  assert.equal(
    res.status,
    201,
    `POST ${JSON.stringify(json).slice(0, 200)}: ${JSON.stringify(res.body)}`,
  );
  return res.body;
}

/** A `str` write body. */
export function str(value: string, extra: Record<string, unknown> = {}) {
  return { type: 'str', data: { value }, ...extra };
}

/** Sends `spec` and checks its status and exact JSON body. */
export async function expectAnswer(
  origin: string,
  spec: CallSpec,
  status: number,
  body: Record<string, unknown>,
): Promise<void> {
  const res = await call(origin, spec);
  assert.deepEqual(
    { status: res.status, body: res.body },
    { status, body },
    `${spec.method} ${spec.path}`,
  );
}
