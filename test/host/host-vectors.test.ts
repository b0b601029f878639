import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { LineHostBuffer } from '../../src/host/index.js';
import { call, MOUNTS, startServer, type CallSpec, type TestServer } from '../helpers/servers.js';
import { loadVectors } from '../helpers/vectors.js';

interface Step extends CallSpec {
  status: number;
  body?: Record<string, unknown>;
  expect?: { status: number; body?: Record<string, unknown>; body_shape?: string };
}

interface Scenario {
  name: string;
  steps: Step[];
}

const { scenarios } = loadVectors<{ scenarios: Scenario[] }>('host.json');

function assertStep(step: Step, got: { status: number; body: Record<string, unknown> }): void {
  const want = step.expect ?? { status: step.status, body: step.body };
  const where = `${step.method} ${step.path}`;
  assert.equal(got.status, want.status, `${where}: status, body ${JSON.stringify(got.body)}`);
  if (want.body !== undefined) {
    // Extra fields are allowed; the listed ones must match.
    const listed = Object.fromEntries(Object.keys(want.body).map((k) => [k, got.body[k]]));
    assert.deepEqual(listed, want.body, where);
  } else {
    assert.equal(want.body_shape, '{"message": string}');
    assert.equal(typeof got.body.message, 'string', `${where}: a JSON message`);
    assert.notEqual(got.body.message, 'success', where);
  }
}

for (const mount of MOUNTS) {
  describe(`host.json vectors on ${mount}`, () => {
    it('has the 9 recorded scenarios', () => assert.equal(scenarios.length, 9));

    for (const scenario of scenarios) {
      describe(scenario.name, () => {
        let server: TestServer;
        before(async () => {
          server = await startServer(mount, new LineHostBuffer({ maxlen: 4 }));
        });
        after(() => server.close());

        it('answers every step as recorded or as expected', async () => {
          for (const step of scenario.steps) assertStep(step, await call(server.origin, step));
        });
      });
    }
  });
}
