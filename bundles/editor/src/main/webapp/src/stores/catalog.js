import { defineStore } from 'pinia'
import { api } from '../lib/api.js'

/**
 * The live node catalogue (GET /node-types). follow() re-reads it every couple of seconds so a
 * plugin dropped into plugins/ (or removed) shows in the palette without a reload; only a real
 * change replaces the list, so the palette does not re-render for nothing.
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
      try {
        this.setTypes(await api.get('/node-types'))
      } catch (e) {
        this.error = e.message
      }
    },
    /** Polls until the returned stop function is called. */
    follow(intervalMs = 1500) {
      let stopped = false
      let timer = null
      const tick = async () => {
        if (stopped) return
        await this.load()
        if (!stopped) timer = setTimeout(tick, intervalMs)
      }
      tick()
      return () => { stopped = true; clearTimeout(timer) }
    },
    inputs(type) { return (this.byType[type] && this.byType[type].inputs) || [] },
    outputs(type) { return (this.byType[type] && this.byType[type].outputs) || [] },
  },
})
