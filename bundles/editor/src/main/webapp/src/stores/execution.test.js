import { beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useExecution } from './execution.js'

describe('execution store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('shows pending as queued and nodes the run has not reached as queued while it runs', () => {
    const e = useExecution()
    e.current = { id: 'x', workflowId: 'w', status: 'running', nodes: [{ nodeId: 'a', status: 'succeeded' }, { nodeId: 'b', status: 'pending' }] }
    expect(e.statusOf('a')).toBe('succeeded')
    expect(e.statusOf('b')).toBe('queued')
    expect(e.statusOf('c')).toBe('queued')
    e.current.status = 'succeeded'
    expect(e.statusOf('c')).toBe('skipped')
  })

  it('follows a run until it is finished', async () => {
    vi.useFakeTimers()
    const answers = [
      { id: 'x', workflowId: 'w', status: 'running', nodes: [{ nodeId: 'a', status: 'running' }] },
      { id: 'x', workflowId: 'w', status: 'succeeded', nodes: [{ nodeId: 'a', status: 'succeeded', outputs: { out: 1 } }] },
    ]
    global.fetch = vi.fn(async (url, init) => {
      const body = url.endsWith('/openapi.json') ? { paths: {} }
        : init.method === 'POST' ? { id: 'x', workflowId: 'w', status: 'queued', nodes: [] } : answers.shift() || { id: 'x', workflowId: 'w', status: 'succeeded', nodes: [] }
      return { ok: true, status: 200, text: async () => JSON.stringify(body) }
    })
    const e = useExecution()
    await e.run('w', { n: 1 })
    expect(e.running).toBe(true)
    await vi.advanceTimersByTimeAsync(1000)
    expect(e.current.status).toBe('succeeded')
    expect(e.running).toBe(false)
    expect(e.runs.a.outputs).toEqual({ out: 1 })
    const posted = global.fetch.mock.calls.find(([, init]) => init.method === 'POST')
    expect(JSON.parse(posted[1].body)).toEqual({ input: { n: 1 } })
    vi.useRealTimers()
  })
})
