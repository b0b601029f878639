import type { LineHostBuffer } from './host-buffer.js';

const message = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string' } },
};
const item = {
  oneOf: [
    { type: 'string' },
    {
      type: 'object',
      required: ['/is_syncsdata', '/type', 'type', 'data'],
      properties: {
        '/is_syncsdata': { const: true },
        '/type': { const: 'GroupedMessage' },
        type: { enum: ['str', 'warning', 'error'] },
        data: { type: 'array', items: { type: 'string' } },
      },
    },
  ],
};
const writer = {
  source: { type: 'string', minLength: 1, maxLength: 128 },
  seq: { type: 'integer', minimum: 0 },
  stream: { enum: ['stdout', 'stderr'] },
};

function answer(description: string, data?: object) {
  const schema = data ? { ...message, properties: { ...message.properties, data } } : message;
  return { description, content: { 'application/json': { schema } } };
}

function jsonBody(schema: object) {
  return { required: true, content: { 'application/json': { schema } } };
}

const failures = {
  '400': answer('bad request; nothing was changed'),
  '413': answer('body or line over a limit; nothing was changed'),
  default: answer('any other failure (405, 409 when closed, 500 when the store failed)'),
};

/** An OpenAPI 3.1 document of a host buffer's routes, named by its endpoint. */
export function openApiDocument(hbuf: LineHostBuffer) {
  const { endpoint } = hbuf.options;
  return {
    openapi: '3.1.0',
    info: { title: `syncstream host buffer ${endpoint}`, version: '1' },
    paths: {
      [hbuf.routes.items]: itemsOperations(endpoint),
      [hbuf.routes.state]: stateOperations(`${endpoint}-state`),
    },
  };
}

function itemsOperations(name: string) {
  const write = {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: ['str', 'error', 'warning', 'close'] }, data: {}, ...writer },
  };
  return {
    get: {
      operationId: `${name}.read`,
      parameters: [{ name: 'n', in: 'query', schema: { type: 'integer' } }],
      responses: {
        '200': answer('the newest n items', { type: 'array', items: item }),
        ...failures,
      },
    },
    post: {
      operationId: `${name}.write`,
      requestBody: jsonBody(write),
      responses: { '201': answer('written'), ...failures },
    },
    delete: {
      operationId: `${name}.clear`,
      responses: { '200': answer('cleared'), default: failures.default },
    },
  };
}

function stateOperations(name: string) {
  const stateName = { enum: ['closed', 'maxlen', 'curlen'] };
  const write = {
    type: 'object',
    required: ['state', 'value'],
    properties: { state: { const: 'closed' }, value: {} },
  };
  return {
    get: {
      operationId: `${name}.read`,
      parameters: [{ name: 'state', in: 'query', required: true, schema: stateName }],
      responses: { '200': answer('the state', { type: ['boolean', 'integer'] }), ...failures },
    },
    post: {
      operationId: `${name}.write`,
      requestBody: jsonBody(write),
      responses: { '201': answer('state set'), ...failures },
    },
    delete: {
      operationId: `${name}.reset`,
      responses: { '200': answer('states reset'), default: failures.default },
    },
  };
}
