// Node descriptors shaped like GET /api/v1/node-types answers (a few of the core nodes).
export const DESCRIPTORS = [
  { type: 'core.input', version: 1, name: 'Input', category: 'Input', outputs: [{ name: 'out', type: 'any' }], configSchema: { type: 'object', properties: {} } },
  { type: 'core.set', version: 1, name: 'Set', category: 'Data', inputs: [{ name: 'in', type: 'any' }], outputs: [{ name: 'out', type: 'object' }],
    configSchema: { type: 'object', properties: { values: { type: 'object', additionalProperties: true }, keepInput: { type: 'boolean' } } } },
  { type: 'core.csv.read', version: 1, name: 'Read CSV', category: 'Data', inputs: [{ name: 'in', type: 'string', required: true }], outputs: [{ name: 'out', type: 'array<any>' }],
    configSchema: { type: 'object', properties: { delimiter: { type: 'string' } } } },
  { type: 'core.limit', version: 1, name: 'Limit', category: 'Data', inputs: [{ name: 'in', type: 'array<any>' }], outputs: [{ name: 'out', type: 'array<any>' }],
    configSchema: { type: 'object', properties: { count: { type: 'integer' } }, required: ['count'] } },
]
