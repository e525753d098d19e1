import { defineStore } from 'pinia'

let next = 1

/** Toasts: what happened, in words; errors stay until dismissed, the rest fade after a few seconds. */
export const useNotify = defineStore('notify', {
  state: () => ({ items: [] }),
  actions: {
    push(kind, text, ttlMs = kind === 'error' ? 10000 : 4000) {
      const id = next++
      this.items.push({ id, kind, text })
      if (ttlMs > 0) setTimeout(() => this.dismiss(id), ttlMs)
      return id
    },
    info(text) { return this.push('info', text) },
    success(text) { return this.push('success', text) },
    error(text) { return this.push('error', text) },
    dismiss(id) { this.items = this.items.filter((i) => i.id !== id) },
  },
})
