import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useWorkflow, baseId } from './workflow.js'
import { useCatalog } from './catalog.js'
import { DESCRIPTORS } from '../test/fixtures.js'

function jsonResponse(status, body, type = 'application/json') {
  return { ok: status < 300, status, statusText: '', text: async () => JSON.stringify(body), headers: { get: () => type } }
}

describe('workflow store', () => {
  let wf
  beforeEach(() => {
    setActivePinia(createPinia())
    useCatalog().setTypes(DESCRIPTORS)
    wf = useWorkflow()
  })

  it('gives nodes unique slug ids from their type', () => {
    expect(baseId('core.http.request')).toBe('http-request')
    expect(baseId('python.user.score')).toBe('score')
    expect(wf.addNode('core.set', { x: 1.4, y: 2 })).toBe('set')
    expect(wf.addNode('core.set')).toBe('set-2')
    expect(wf.node('set').position).toEqual({ x: 1, y: 2 })
  })

  it('connects compatible ports and refuses the others naming both types', () => {
    wf.addNode('core.input'); wf.addNode('core.set'); wf.addNode('core.csv.read')
    expect(wf.connect('input.out', 'set.in').ok).toBe(true)
    const refused = wf.connect('set.out', 'csv-read.in')
    expect(refused.ok).toBe(false)
    expect(refused.reason).toContain('set.out (object)')
    expect(refused.reason).toContain('csv-read.in (string)')
    expect(wf.connections).toEqual([{ from: 'input.out', to: 'set.in' }])
  })

  it('undoes and redoes every change, and a new change clears redo', () => {
    wf.addNode('core.input'); wf.addNode('core.set'); wf.connect('input.out', 'set.in')
    wf.removeNodes(['set'])
    expect(wf.connections).toHaveLength(0)
    wf.undo()
    expect(wf.nodes.map((n) => n.id)).toEqual(['input', 'set'])
    expect(wf.connections).toHaveLength(1)
    wf.undo(); wf.undo()
    expect(wf.nodes.map((n) => n.id)).toEqual(['input'])
    wf.redo()
    expect(wf.nodes).toHaveLength(2)
    wf.addNode('core.limit')
    expect(wf.canRedo).toBe(false)
  })

  it('copies and pastes nodes with their inner connections under fresh ids', () => {
    wf.addNode('core.input', { x: 0, y: 0 }); wf.addNode('core.set', { x: 200, y: 0 }); wf.connect('input.out', 'set.in')
    expect(wf.copy(['input', 'set'])).toBe(2)
    const added = wf.paste()
    expect(added).toEqual(['input-2', 'set-2'])
    expect(wf.connections).toContainEqual({ from: 'input-2.out', to: 'set-2.in' })
    expect(wf.node('set-2').position).toEqual({ x: 240, y: 40 })
  })

  it('renames a node and its connections', () => {
    wf.addNode('core.input'); wf.addNode('core.set'); wf.connect('input.out', 'set.in')
    expect(wf.renameNode('set', 'greet').ok).toBe(true)
    expect(wf.connections).toEqual([{ from: 'input.out', to: 'greet.in' }])
    expect(wf.renameNode('greet', 'input').ok).toBe(false)
    expect(wf.renameNode('greet', 'has space').ok).toBe(false)
  })

  it('puts 422 validation problems on their node and config field, and keeps the document unsaved', async () => {
    wf.addNode('core.input'); wf.addNode('core.limit')
    global.fetch = vi.fn(async () => jsonResponse(422, {
      type: 'urn:qflow:problem:validation-failed', title: 'Validation failed', status: 422, detail: 'the workflow is invalid',
      errors: [{ code: 'node.config.invalid', message: "node 'limit' config /count: string found, integer expected", nodeId: 'limit', field: '/nodes/1/config/count' }],
    }, 'application/problem+json'))
    await expect(wf.save()).rejects.toThrow('the workflow is invalid')
    expect(wf.problemsOf('limit')).toHaveLength(1)
    expect(wf.fieldProblems('limit')).toEqual({ '/count': "node 'limit' config /count: string found, integer expected" })
    expect(wf.problemsOf('input')).toHaveLength(0)
    expect(wf.dirty).toBe(true)
    expect(wf.id).toBe(null)
  })

  it('POSTs a new workflow, then PUTs it, without the fields the server derives', async () => {
    wf.reset({ schemaVersion: 1, name: 'W', nodes: [], connections: [], available: true, problems: [] })
    const calls = []
    global.fetch = vi.fn(async (url, init) => {
      calls.push([init.method, url, JSON.parse(init.body)])
      return jsonResponse(init.method === 'POST' ? 201 : 200, { ...JSON.parse(init.body), id: 'w', version: calls.length })
    })
    await wf.save()
    wf.setName('W2')
    await wf.save()
    expect(calls.map(([m, u]) => `${m} ${u}`)).toEqual(['POST /api/v1/workflows', 'PUT /api/v1/workflows/w'])
    expect(calls[0][2]).not.toHaveProperty('available')
    expect(calls[1][2]).toMatchObject({ id: 'w', name: 'W2' })
    expect(wf.dirty).toBe(false)
  })
})
