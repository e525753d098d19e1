import { defineStore } from 'pinia'
import { api, capabilitiesOf } from '../lib/api.js'

const path = (name) => `/credentials/${encodeURIComponent(name)}`

/**
 * Stored credentials as the server lists them: name, updatedAt and the field names of an object
 * value. Values go to the server and never come back, so none is ever held here.
 */
export const useCredentials = defineStore('credentials', {
  state: () => ({ items: [], loaded: false, error: null, requested: false }),
  actions: {
    async load() {
      try {
        this.items = await api.get('/credentials')
        this.loaded = true
        this.error = null
      } catch (e) {
        this.error = e.message
      }
    },
    /**
     * For the expression completion: read the list once per editor session (the credentials page
     * keeps it current afterwards); a server without credentials simply offers none.
     */
    async loadOnce() {
      if (this.requested) return
      this.requested = true
      if ((await capabilitiesOf()).credentials) await this.load()
    },
    /** Stores (or replaces, as a whole) the value under `name`; throws ApiError with `/name` or `/value` problems. */
    async save(name, value) {
      const info = await api.put(path(name), { value })
      await this.load()
      return info
    },
    async remove(name) {
      await api.del(path(name))
      this.items = this.items.filter((c) => c.name !== name)
    },
  },
})

