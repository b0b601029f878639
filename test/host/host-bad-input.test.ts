/**
 * Every malformed request is answered 4xx with a JSON message that says what was wrong,
 * and leaves the buffer exactly as it was (protocol.md section 4, issue 2 item 10).
 */
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
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
const postRaw = (raw: string | Buffer, path = R): CallSpec => ({ method: 'POST', path, raw });
const postState = (json: unknown): CallSpec => ({ method: 'POST', path: S, json });
const get = (path: string): CallSpec => ({ method: 'GET', path });
const bad = (name: string, spec: CallSpec, message: string | RegExp, status = 400): BadCase => ({
  name,
  spec,
  status,
  message,
});
const notAllowed = (method: string, path: string, allow = 'GET, POST, DELETE'): BadCase => ({
  name: `${method} ${path}`,
  spec: { method, path, json: {} },
  status: 405,
  message: `method ${method} is not allowed on ${path}; use ${allow}`,
  allow,
});

const record = { '/is_syncsdata': true, '/type': 'GroupedMessage', type: 'error', data: ['x'] };
const SHAPE =
  'a serialized GroupedMessage: {"/is_syncsdata": true, "/type": "GroupedMessage", ' +
  '"type": "str"|"warning"|"error", "data": [strings]}';
const NOT_JSON = /^the body is not valid JSON: .+/;
const OBJECT = 'the body must be a JSON object, got';
const TYPE = '"type" must be "str", "error", "warning" or "close", got';
const DATA = '"data" of a str write must be a JSON object, got';
const VALUE = '"data.value" of a str write must be a string, got';
const SOURCE = '"source" must be a string of 1 to 128 characters, got';
const SEQ = '"seq" must be a non-negative integer, got';
const N = 'the query "n" must be an integer, got';
const STATES = 'use one of closed, maxlen, curlen';
const line = (extra: Record<string, unknown>) => post(str('x\n', extra));

const bodyCases: BadCase[] = [
  bad('not JSON', postRaw('{"type": "str",'), NOT_JSON),
  bad(
    'invalid UTF-8',
    postRaw(Buffer.from([0x22, 0xff, 0xfe, 0x22])),
    'the body is not valid UTF-8',
  ),
  bad('empty body', postRaw(''), 'the request has no body; a JSON object is expected'),
  bad(
    'a compressed body',
    {
      method: 'POST',
      path: R,
      raw: gzipSync(JSON.stringify(str('zipped\n'))),
      headers: { 'content-encoding': 'gzip' },
    },
    'content-encoding "gzip" is not supported; send the body uncompressed',
    415,
  ),
  bad('a JSON array', post([str('x')]), `${OBJECT} an array`),
  bad('a JSON string', post('x\n'), `${OBJECT} "x\\n"`),
  bad('JSON null', post(null), `${OBJECT} null`),
  bad('unknown type', post({ type: 'text', data: { value: 'x\n' } }), `${TYPE} "text"`),
  bad('missing type', post({ data: { value: 'x\n' } }), `${TYPE} nothing`),
  bad('missing data', post({ type: 'str' }), `${DATA} nothing`),
  bad('data a string', post({ type: 'str', data: 'x\n' }), `${DATA} "x\\n"`),
  bad('missing value', post({ type: 'str', data: {} }), `${VALUE} nothing`),
  bad('value a number', post({ type: 'str', data: { value: 5 } }), `${VALUE} number 5`),
  bad('value an array', post({ type: 'str', data: { value: ['x\n'] } }), `${VALUE} an array`),
  bad(
    'record with a number line',
    post({ type: 'error', data: { ...record, data: ['x', 1] } }),
    `"data" of an "error" write must be ${SHAPE}`,
  ),
  bad(
    'record of an unknown kind',
    post({ type: 'warning', data: { ...record, type: 'fatal' } }),
    `"data" of a "warning" write must be ${SHAPE}`,
  ),
  bad(
    'record without its marker',
    post({ type: 'error', data: { ...record, '/is_syncsdata': 1 } }),
    `"data" of an "error" write must be ${SHAPE}`,
  ),
  bad('record missing', post({ type: 'error' }), `"data" of an "error" write must be ${SHAPE}`),
  bad('source too long', line({ source: 's'.repeat(129) }), `${SOURCE} "${'s'.repeat(40)}..."`),
  bad('source empty', line({ source: '' }), `${SOURCE} ""`),
  bad('source a number', line({ source: 7 }), `${SOURCE} number 7`),
  bad('source an object', line({ source: { id: 1 } }), `${SOURCE} an object`),
  bad('seq negative', line({ source: 'a', seq: -1 }), `${SEQ} number -1`),
  bad('seq not an integer', line({ source: 'a', seq: 1.5 }), `${SEQ} number 1.5`),
  bad('seq a string', line({ source: 'a', seq: '3' }), `${SEQ} "3"`),
  bad('seq too large', line({ source: 'a', seq: 2 ** 53 }), `${SEQ} number 9007199254740992`),
  bad(
    'bad stream',
    line({ stream: 'stdin' }),
    '"stream" must be "stdout" or "stderr", got "stdin"',
  ),
  bad('close with a bad source', post({ type: 'close', source: '' }), `${SOURCE} ""`),
];

const queryCases: BadCase[] = [
  bad('n a fraction', get(`${R}?n=1.5`), `${N} "1.5"`),
  bad('n a word', get(`${R}?n=abc`), `${N} "abc"`),
  bad('n empty', get(`${R}?n=`), `${N} ""`),
  bad('n with a unit', get(`${R}?n=2px`), `${N} "2px"`),
  bad('state missing', get(S), `the query "state" is missing; ${STATES}`),
  bad('state unknown', get(`${S}?state=length`), `unknown state "length"; ${STATES}`),
];

const cannot = (state: string) => `state "${state}" cannot be written; only "closed" can`;
const stateCases: BadCase[] = [
  bad('writing maxlen', postState({ state: 'maxlen', value: 9 }), cannot('maxlen')),
  bad('writing curlen', postState({ state: 'curlen', value: true }), cannot('curlen')),
  bad('writing an unknown state', postState({ state: 'open', value: true }), cannot('open')),
  bad(
    'state missing',
    postState({ value: true }),
    '"state" is missing; only "closed" can be written',
  ),
  bad('value missing', postState({ state: 'closed' }), '"value" is missing'),
  bad('state body not JSON', postRaw('closed=true', S), NOT_JSON),
  bad('state body an array', postState([{ state: 'closed', value: true }]), `${OBJECT} an array`),
];

const methodCases: BadCase[] = [
  notAllowed('PUT', R),
  notAllowed('PATCH', R),
  notAllowed('PUT', S),
  notAllowed('OPTIONS', S),
  notAllowed('POST', `${R}-openapi.json`, 'GET'),
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
      assert.deepEqual(want, {
        items: ['one', 'two', 'thr', 'part-Aee'],
        curlen: 4,
        closed: false,
      });
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
