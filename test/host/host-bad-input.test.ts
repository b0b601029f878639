/**
 * Every malformed request is answered 4xx with a JSON message that says what was wrong,
 * and leaves the buffer exactly as it was (protocol.md section 4, issue 2 item 10).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { LineHostBuffer } from '../../src/host/index.js';
import { postOk, snapshot, str, type HostSnapshot } from '../helpers/host-snapshot.js';
import { call, MOUNTS, startServer, type CallSpec, type TestServer } from '../helpers/servers.js';

interface BadCase {
  name: string;
  spec: CallSpec;
  status: number;
  /** The exact message, or a pattern where the text comes from the JSON parser. */
  message: string | RegExp;
  allow?: string;
}

const R = '/sync-stream';
const S = '/sync-stream-state';
const post = (json: unknown): CallSpec => ({ method: 'POST', path: R, json });
const postState = (json: unknown): CallSpec => ({ method: 'POST', path: S, json });
const record = { '/is_syncsdata': true, '/type': 'GroupedMessage', type: 'error', data: ['x'] };
const RECORD_SHAPE =
  'a serialized GroupedMessage: {"/is_syncsdata": true, "/type": "GroupedMessage", ' +
  '"type": "str"|"warning"|"error", "data": [strings]}';
const OBJECT = 'the body must be a JSON object, got';
const SOURCE = '"source" must be a string of 1 to 128 characters, got';
const SEQ = '"seq" must be a non-negative integer, got';
const N = 'the query "n" must be an integer, got';
const STATES = 'use one of closed, maxlen, curlen';

const bodyCases: BadCase[] = [
  { name: 'not JSON', spec: { method: 'POST', path: R, raw: '{"type": "str",' }, status: 400, message: /^the body is not valid JSON: .+/ },
  { name: 'invalid UTF-8', spec: { method: 'POST', path: R, raw: Buffer.from([0x22, 0xff, 0xfe, 0x22]) }, status: 400, message: 'the body is not valid UTF-8' },
  { name: 'empty body', spec: { method: 'POST', path: R, raw: '' }, status: 400, message: 'the request has no body; a JSON object is expected' },
  { name: 'a JSON array', spec: post([str('x')]), status: 400, message: `${OBJECT} an array` },
  { name: 'a JSON string', spec: post('x\n'), status: 400, message: `${OBJECT} "x\\n"` },
  { name: 'JSON null', spec: post(null), status: 400, message: `${OBJECT} null` },
  { name: 'unknown type', spec: post({ type: 'text', data: { value: 'x\n' } }), status: 400, message: '"type" must be "str", "error", "warning" or "close", got "text"' },
  { name: 'missing type', spec: post({ data: { value: 'x\n' } }), status: 400, message: '"type" must be "str", "error", "warning" or "close", got nothing' },
  { name: 'missing data', spec: post({ type: 'str' }), status: 400, message: '"data" of a str write must be a JSON object, got nothing' },
  { name: 'data a string', spec: post({ type: 'str', data: 'x\n' }), status: 400, message: '"data" of a str write must be a JSON object, got "x\\n"' },
  { name: 'missing value', spec: post({ type: 'str', data: {} }), status: 400, message: '"data.value" of a str write must be a string, got nothing' },
  { name: 'value a number', spec: post({ type: 'str', data: { value: 5 } }), status: 400, message: '"data.value" of a str write must be a string, got number 5' },
  { name: 'value an array', spec: post({ type: 'str', data: { value: ['x\n'] } }), status: 400, message: '"data.value" of a str write must be a string, got an array' },
  { name: 'record with a number line', spec: post({ type: 'error', data: { ...record, data: ['x', 1] } }), status: 400, message: `"data" of an "error" write must be ${RECORD_SHAPE}` },
  { name: 'record of an unknown kind', spec: post({ type: 'warning', data: { ...record, type: 'fatal' } }), status: 400, message: `"data" of a "warning" write must be ${RECORD_SHAPE}` },
  { name: 'record without its marker', spec: post({ type: 'error', data: { ...record, '/is_syncsdata': 'true' } }), status: 400, message: `"data" of an "error" write must be ${RECORD_SHAPE}` },
  { name: 'record missing', spec: post({ type: 'error' }), status: 400, message: `"data" of an "error" write must be ${RECORD_SHAPE}` },
  { name: 'source too long', spec: post(str('x\n', { source: 's'.repeat(129) })), status: 400, message: `${SOURCE} "${'s'.repeat(40)}..."` },
  { name: 'source empty', spec: post(str('x\n', { source: '' })), status: 400, message: `${SOURCE} ""` },
  { name: 'source a number', spec: post(str('x\n', { source: 7 })), status: 400, message: `${SOURCE} number 7` },
  { name: 'source an object', spec: post(str('x\n', { source: { id: 1 } })), status: 400, message: `${SOURCE} an object` },
  { name: 'seq negative', spec: post(str('x\n', { source: 'a', seq: -1 })), status: 400, message: `${SEQ} number -1` },
  { name: 'seq not an integer', spec: post(str('x\n', { source: 'a', seq: 1.5 })), status: 400, message: `${SEQ} number 1.5` },
  { name: 'seq a string', spec: post(str('x\n', { source: 'a', seq: '3' })), status: 400, message: `${SEQ} "3"` },
  { name: 'seq too large', spec: post(str('x\n', { source: 'a', seq: 2 ** 53 })), status: 400, message: `${SEQ} number 9007199254740992` },
  { name: 'bad stream', spec: post(str('x\n', { stream: 'stdin' })), status: 400, message: '"stream" must be "stdout" or "stderr", got "stdin"' },
  { name: 'close with a bad source', spec: post({ type: 'close', source: '' }), status: 400, message: `${SOURCE} ""` },
];

const queryCases: BadCase[] = [
  { name: 'n a fraction', spec: { method: 'GET', path: `${R}?n=1.5` }, status: 400, message: `${N} "1.5"` },
  { name: 'n a word', spec: { method: 'GET', path: `${R}?n=abc` }, status: 400, message: `${N} "abc"` },
  { name: 'n empty', spec: { method: 'GET', path: `${R}?n=` }, status: 400, message: `${N} ""` },
  { name: 'n with a unit', spec: { method: 'GET', path: `${R}?n=2px` }, status: 400, message: `${N} "2px"` },
  { name: 'state missing', spec: { method: 'GET', path: S }, status: 400, message: `the query "state" is missing; ${STATES}` },
  { name: 'state unknown', spec: { method: 'GET', path: `${S}?state=length` }, status: 400, message: `unknown state "length"; ${STATES}` },
];

const stateCases: BadCase[] = [
  { name: 'writing maxlen', spec: postState({ state: 'maxlen', value: 9 }), status: 400, message: 'state "maxlen" cannot be written; only "closed" can' },
  { name: 'writing curlen', spec: postState({ state: 'curlen', value: true }), status: 400, message: 'state "curlen" cannot be written; only "closed" can' },
  { name: 'writing an unknown state', spec: postState({ state: 'open', value: true }), status: 400, message: 'state "open" cannot be written; only "closed" can' },
  { name: 'state name missing', spec: postState({ value: true }), status: 400, message: '"state" is missing; only "closed" can be written' },
  { name: 'value missing', spec: postState({ state: 'closed' }), status: 400, message: '"value" is missing' },
  { name: 'state body not JSON', spec: { method: 'POST', path: S, raw: 'closed=true' }, status: 400, message: /^the body is not valid JSON: .+/ },
  { name: 'state body an array', spec: postState([{ state: 'closed', value: true }]), status: 400, message: `${OBJECT} an array` },
];

const methodCases: BadCase[] = [
  { name: 'PUT items', spec: { method: 'PUT', path: R, json: str('x\n') }, status: 405, message: `method PUT is not allowed on ${R}; use GET, POST, DELETE`, allow: 'GET, POST, DELETE' },
  { name: 'PATCH items', spec: { method: 'PATCH', path: R, json: str('x\n') }, status: 405, message: `method PATCH is not allowed on ${R}; use GET, POST, DELETE`, allow: 'GET, POST, DELETE' },
  { name: 'PUT state', spec: { method: 'PUT', path: S, json: { state: 'closed', value: true } }, status: 405, message: `method PUT is not allowed on ${S}; use GET, POST, DELETE`, allow: 'GET, POST, DELETE' },
  { name: 'OPTIONS state', spec: { method: 'OPTIONS', path: S }, status: 405, message: `method OPTIONS is not allowed on ${S}; use GET, POST, DELETE`, allow: 'GET, POST, DELETE' },
  { name: 'POST OpenAPI', spec: { method: 'POST', path: `${R}-openapi.json`, json: {} }, status: 405, message: `method POST is not allowed on ${R}-openapi.json; use GET`, allow: 'GET' },
];

const groups = { body: bodyCases, query: queryCases, state: stateCases, method: methodCases };

/** Items one and two stored, and partial lines from the shared writer and source A. */
async function fill(origin: string): Promise<void> {
  await postOk(origin, str('one\ntwo\nthr'));
  await postOk(origin, str('part-A', { source: 'A', seq: 0 }));
  await postOk(origin, str('ee', { source: 'A', seq: 1, stream: 'stderr' }));
}

async function checkCase(origin: string, bad: BadCase, want: HostSnapshot): Promise<void> {
  const res = await call(origin, bad.spec);
  assert.equal(res.status, bad.status, `${bad.name}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(Object.keys(res.body), ['message'], bad.name);
  if (typeof bad.message === 'string') assert.equal(res.body.message, bad.message, bad.name);
  else assert.match(String(res.body.message), bad.message, bad.name);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', bad.name);
  if (bad.allow !== undefined) assert.equal(res.headers.allow, bad.allow, bad.name);
  assert.deepEqual(await snapshot(origin), want, `${bad.name} changed the buffer`);
}

for (const mount of MOUNTS) {
  describe(`bad input on ${mount}`, () => {
    let server: TestServer;
    let want: HostSnapshot;
    before(async () => {
      server = await startServer(mount, new LineHostBuffer({ maxlen: 4 }));
      await fill(server.origin);
      want = await snapshot(server.origin);
    });
    after(() => server.close());

    it('starts from two items and two partial lines', () => {
      assert.deepEqual(want, { items: ['one', 'two', 'thr', 'part-Aee'], curlen: 4, closed: false });
    });

    for (const [group, cases] of Object.entries(groups)) {
      it(`refuses every malformed ${group} request and changes nothing`, async () => {
        for (const bad of cases) await checkCase(server.origin, bad, want);
      });
    }

    it('keeps each partial line as it was after all of them', async () => {
      await postOk(server.origin, str('ee\n'));
      await postOk(server.origin, str('!\n', { source: 'A', seq: 2 }));
      assert.deepEqual(await snapshot(server.origin), {
        items: ['one', 'two', 'three', 'part-Aee!'],
        curlen: 4,
        closed: false,
      });
    });
  });
}
