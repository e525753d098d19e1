import { defineStore } from 'pinia'
import { api, BASE, token } from '../lib/api.js'

/** After the server refused or ended the change stream for good (EventSource gives up), a new one is opened this much later. */
export const RECONNECT_MS = 3000
let loads = 0

/**
 * The live node catalogue (GET /node-types). follow() re-reads it whenever the server says it
 * changed (GET /node-types/events), so a plugin dropped into plugins/ (or removed) shows in the
 * palette without a reload; only a real change replaces the list, so the palette does not
 * re-render for nothing.
 */
export const useCatalog = defineStore('catalog', {
  state: () => ({ types: [], loaded: false, error: null, signature: '', query: '' }),
  getters: {
    byType: (s) => Object.fromEntries(s.types.map((t) => [t.type, t])),
    /** [{category, types}] sorted by category then name, filtered by the search box. */
    groups(s) {
      const q = s.query.trim().toLowerCase()
      const match = (t) => !q || [t.type, t.name, t.description, t.category].some((v) => v && String(v).toLowerCase().includes(q))
      const groups = new Map()
      for (const t of s.types) {
        if (!match(t)) continue
        const c = t.category || 'Other'
        if (!groups.has(c)) groups.set(c, [])
        groups.get(c).push(t)
      }
      return [...groups.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([category, types]) => ({ category, types: types.sort((a, b) => (a.name || a.type).localeCompare(b.name || b.type)) }))
    },
  },
  actions: {
    setTypes(types) {
      const list = Array.isArray(types) ? types : []
      const signature = list.map((t) => `${t.type}@${t.version}`).sort().join('|')
      if (signature !== this.signature || !this.loaded) {
        this.types = list
        this.signature = signature
      }
      this.loaded = true
      this.error = null
    },
    async load() {
      // changes can come in quick succession: only the answer to the latest request is kept
      const mine = ++loads
      try {
        const types = await api.get('/node-types')
        if (mine === loads) this.setTypes(types)
      } catch (e) {
        if (mine === loads) this.error = e.message
      }
    },
    /**
     * Follows the catalogue's Server-Sent Events until the returned stop function is called: the
     * list is read again on each `changed` event and each time the stream (re)opens, which catches
     * up on whatever changed while it was down. EventSource reconnects by itself after a network
     * error; when it gives up (an error answer), a new stream is opened after RECONNECT_MS.
     */
    follow() {
      let stopped = false
      let source = null
      let timer = null
      const connect = () => {
        if (stopped) return
        const t = token()
        source = new EventSource(`${BASE}/node-types/events${t ? `?access_token=${encodeURIComponent(t)}` : ''}`)
        source.onopen = () => this.load()
        source.addEventListener('changed', () => this.load())
        source.onerror = () => {
          if (source.readyState !== EventSource.CLOSED) return
          this.load()
          timer = setTimeout(connect, RECONNECT_MS)
        }
      }
      connect()
      return () => { stopped = true; clearTimeout(timer); if (source) source.close() }
    },
    inputs(type) { return (this.byType[type] && this.byType[type].inputs) || [] },
    outputs(type) { return (this.byType[type] && this.byType[type].outputs) || [] },
  },
})
