import { defineStore } from 'pinia'
import { api, capabilitiesOf } from '../lib/api.js'

const FINISHED = new Set(['succeeded', 'failed', 'cancelled'])
/** The SSE event names of GET /executions/{id}/events (io.qflow.engine.ExecutionEvent.Type). */
const EVENT_TYPES = ['snapshot', 'node.started', 'node.finished', 'node.failed', 'node.retrying', 'node.skipped',
  'node.waiting', 'node.log', 'node.progress', 'execution.status']

/**
 * One execution shown on the canvas: started here or opened from the history. While it is not
 * finished it is re-read (every 300 ms, or on each live event where the server has them); node
 * statuses, inputs, outputs, logs and errors come from GET /executions/{id}.
 */
export const useExecution = defineStore('execution', {
  state: () => ({ current: null, running: false, error: null, following: null }),
  getters: {
    runs: (s) => Object.fromEntries(((s.current && s.current.nodes) || []).map((r) => [r.nodeId, r])),
    /** The status a node shows: its run's, or queued while the execution has not reached it. */
    statusOf() {
      return (nodeId) => {
        const run = this.runs[nodeId]
        if (run) return run.status === 'pending' ? 'queued' : run.status
        const s = this.current && this.current.status
        if (!s) return null
        if (s === 'queued' || s === 'running' || s === 'waiting') return 'queued'
        return s === 'succeeded' ? 'skipped' : null
      }
    },
    finished: (s) => !!(s.current && FINISHED.has(s.current.status)),
  },
  actions: {
    clear() {
      this.stopFollowing()
      this.current = null
      this.error = null
    },
    async run(workflowId, input) {
      this.clear()
      this.running = true
      try {
        const started = await api.post(`/workflows/${encodeURIComponent(workflowId)}/executions`, { input: input ?? {} })
        this.current = started
        this.follow(started.id)
        return started
      } catch (e) {
        this.error = e.message
        this.running = false
        throw e
      }
    },
    async open(id) {
      this.clear()
      this.current = await api.get(`/executions/${encodeURIComponent(id)}`)
      if (!FINISHED.has(this.current.status)) this.follow(id)
    },
    async refresh(id = this.current && this.current.id) {
      if (!id) return
      this.current = await api.get(`/executions/${encodeURIComponent(id)}`)
      this.running = !FINISHED.has(this.current.status)
      if (!this.running) this.stopFollowing()
    },
    follow(id) {
      this.stopFollowing()
      this.running = true
      let stopped = false
      let timer = null
      let source = null
      const tick = async () => {
        if (stopped) return
        try { await this.refresh(id) } catch (e) { this.error = e.message }
        if (!stopped && this.running) timer = setTimeout(tick, this.current && this.current.status === 'waiting' ? 1000 : 300)
      }
      capabilitiesOf().then((caps) => {
        if (stopped || !caps.executionEvents || typeof EventSource === 'undefined') return
        // live events only make the re-read immediate; polling stays as the safety net
        source = new EventSource(`/api/v1/executions/${encodeURIComponent(id)}/events`)
        // each named event (node.started, node.finished, execution.status, ...) triggers a re-read,
        // coalesced to one request in flight
        let busy = false
        const poke = () => {
          if (stopped || busy) return
          busy = true
          this.refresh(id).catch(() => {}).finally(() => { busy = false })
        }
        for (const type of EVENT_TYPES) source.addEventListener(type, poke)
        source.onmessage = poke
        source.onerror = () => { if (source) source.close(); source = null }
      })
      this.following = () => { stopped = true; clearTimeout(timer); if (source) source.close() }
      tick()
    },
    stopFollowing() {
      if (this.following) this.following()
      this.following = null
      this.running = false
    },
    async cancel() {
      if (!this.current) return
      await api.post(`/executions/${this.current.id}/cancel`)
      await this.refresh()
    },
    async retry(from = 'failed') {
      const next = await api.post(`/executions/${this.current.id}/retry`, { from })
      this.current = next
      this.follow(next.id)
      return next
    },
    async resume(node, decision, data) {
      const body = { node, decision }
      if (data !== undefined) body.data = data
      this.current = await api.post(`/executions/${this.current.id}/resume`, body)
      this.follow(this.current.id)
    },
  },
})
