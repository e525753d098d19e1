import { defineStore } from 'pinia'
import { api } from '../lib/api.js'

/** The workflows list page: summaries plus the actions on whole workflows. */
export const useWorkflows = defineStore('workflows', {
  state: () => ({ items: [], loaded: false, error: null, active: new Set() }),
  actions: {
    async load() {
      try {
        this.items = await api.get('/workflows')
        this.loaded = true
        this.error = null
      } catch (e) {
        this.error = e.message
      }
    },
    async create(name) {
      const saved = await api.post('/workflows', { schemaVersion: 1, name, nodes: [], connections: [] })
      await this.load()
      return saved
    },
    async rename(id, name) {
      const doc = await api.get(`/workflows/${encodeURIComponent(id)}`)
      doc.name = name
      await api.put(`/workflows/${encodeURIComponent(id)}`, strip(doc))
      await this.load()
    },
    async duplicate(id) {
      const doc = strip(await api.get(`/workflows/${encodeURIComponent(id)}`))
      delete doc.id
      doc.name = `${doc.name} (copy)`
      const saved = await api.post('/workflows', doc)
      await this.load()
      return saved
    },
    async remove(id) {
      await api.del(`/workflows/${encodeURIComponent(id)}`)
      this.items = this.items.filter((w) => w.id !== id)
    },
    /** Stores an imported document as a new workflow: its id is kept unless a workflow already has it. */
    async importDocument(doc) {
      const copy = strip(doc)
      await this.load()
      if (copy.id && this.items.some((w) => w.id === copy.id)) delete copy.id
      const saved = await api.post('/workflows', copy)
      await this.load()
      return saved
    },
    async exportDocument(id) {
      return strip(await api.get(`/workflows/${encodeURIComponent(id)}`), true)
    },
    /** Which workflows are active (GET /activations, where the server has triggers). */
    async loadActivations() {
      try {
        const answer = await api.get('/activations')
        const list = Array.isArray(answer) ? answer : (answer && (answer.items || answer.activations)) || []
        this.active = new Set(list.filter((a) => a.requested !== false).map((a) => a.workflowId || a.id))
      } catch { this.active = new Set() }
    },
    async setActive(id, active) {
      try {
        await api.post(`/workflows/${encodeURIComponent(id)}/${active ? 'activate' : 'deactivate'}`)
      } finally {
        await this.loadActivations()
      }
    },
  },
})

/** A document as POST/PUT take it: without what the server derives on read. */
export function strip(doc, keepId = true) {
  const out = JSON.parse(JSON.stringify(doc))
  for (const f of ['available', 'problems', 'version', 'createdAt', 'updatedAt', 'active']) delete out[f]
  if (!keepId) delete out.id
  return out
}
