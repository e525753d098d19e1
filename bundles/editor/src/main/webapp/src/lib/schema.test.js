import { describe, expect, it } from 'vitest'
import { applyCompletion, completionsFor, effective, kindOf, openExpression } from './schema.js'
import { resolve } from './router.js'

describe('schema helpers', () => {
  it('folds "a type or an expression" into the type', () => {
    expect(kindOf(effective({ anyOf: [{ type: 'integer' }, { $ref: '#/$defs/expression' }], title: 'Count' }))).toBe('integer')
    expect(kindOf({ type: 'object' })).toBe('json')
    expect(kindOf({ type: ['string', 'null'] })).toBe('string')
    expect(kindOf({ enum: ['a'] })).toBe('enum')
  })

  it('finds the open expression and completes it', () => {
    expect(openExpression('a {{ no', 7)).toEqual({ start: 4, token: 'no' })
    expect(openExpression('a {{ x }} b', 11)).toBe(null)
    expect(applyCompletion('Hi {{ no', 8, 'nodes.a.out')).toEqual({ text: 'Hi {{ nodes.a.out }}', caret: 20 })
    expect(applyCompletion('Hi {{ no }}!', 8, 'nodes.a.out').text).toBe('Hi {{ nodes.a.out }}!')
  })

  it('offers the other nodes\' ports and the node\'s own inputs', () => {
    const catalog = { outputs: (t) => (t === 'core.input' ? [{ name: 'out', type: 'any' }] : []), inputs: () => [{ name: 'in', type: 'any' }] }
    const wf = { nodes: [{ id: 'start', type: 'core.input' }, { id: 'me', type: 'core.set' }] }
    const texts = completionsFor('me', wf, catalog).map((c) => c.text)
    expect(texts.slice(0, 2)).toEqual(['nodes.start.out', 'in'])
    expect(texts).toContain('input')
  })

  it('offers stored credentials and their fields', () => {
    const catalog = { outputs: () => [], inputs: () => [] }
    const credentials = [{ name: 'pg', fields: ['user', 'password'] }, { name: 'hookToken', fields: [] }]
    const texts = completionsFor('me', { nodes: [] }, catalog, credentials).map((c) => c.text).filter((t) => t.startsWith('secrets.'))
    expect(texts).toEqual(['secrets.pg', 'secrets.pg.user', 'secrets.pg.password', 'secrets.hookToken'])
  })
})

describe('router', () => {
  it('maps every screen to a path', () => {
    expect(resolve('/').name).toBe('workflows')
    expect(resolve('/workflows/hello%20x', '?execution=e1')).toEqual({ name: 'editor', params: { id: 'hello x' }, query: { execution: 'e1' } })
    expect(resolve('/executions', '?workflowId=w&status=failed').query).toEqual({ workflowId: 'w', status: 'failed' })
    expect(resolve('/credentials').name).toBe('credentials')
    expect(resolve('/nope').name).toBe('notfound')
  })
})
