import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useCatalog, RECONNECT_MS } from './catalog.js'
import { DESCRIPTORS } from '../test/fixtures.js'

describe('catalog store', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('groups by category and filters by the search box', () => {
    const c = useCatalog()
    c.setTypes(DESCRIPTORS)
    expect(c.groups.map((g) => g.category)).toEqual(['Data', 'Input'])
    c.query = 'csv'
    expect(c.groups).toEqual([{ category: 'Data', types: [DESCRIPTORS[2]] }])
  })

  it('replaces the list only when the catalogue really changed (hot deploy)', () => {
    const c = useCatalog()
    c.setTypes(DESCRIPTORS)
    const first = c.types
    c.setTypes(JSON.parse(JSON.stringify(DESCRIPTORS)))
    expect(c.types).toBe(first)
    c.setTypes([...DESCRIPTORS, { type: 'acme.shout', version: 1, name: 'Shout', category: 'Text' }])
    expect(c.types).toHaveLength(5)
    expect(c.byType['acme.shout'].name).toBe('Shout')
  })

  describe('follow()', () => {
    /** A stand-in for the browser's EventSource: the test opens, pushes and fails it. */
    class FakeEventSource {
      static CONNECTING = 0
      static OPEN = 1
      static CLOSED = 2
      static made = []
      constructor(url) { this.url = url; this.readyState = 0; this.listeners = {}; FakeEventSource.made.push(this) }
      addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn) }
      open() { this.readyState = 1; this.onopen() }
      emit(type) { for (const fn of this.listeners[type] || []) fn({ data: '{"types":["acme.shout"]}' }) }
      fail(closed) { this.readyState = closed ? 2 : 0; this.onerror() }
      close() { this.readyState = 2; this.closed = true }
    }
    let lists
    let fetched

    beforeEach(() => {
      FakeEventSource.made = []
      vi.useFakeTimers()
      vi.stubGlobal('EventSource', FakeEventSource)
      lists = [DESCRIPTORS]
      fetched = 0
      vi.stubGlobal('fetch', vi.fn(async () => {
        fetched++
        return { ok: true, status: 200, text: async () => JSON.stringify(lists[lists.length - 1]) }
      }))
    })
    afterEach(() => { vi.useRealTimers(); vi.unstubAllGlobals() })

    it('reads the list when the stream opens and on every change it announces', async () => {
      const c = useCatalog()
      const stop = c.follow()
      const [source] = FakeEventSource.made
      expect(source.url).toBe('/api/v1/node-types/events')
      source.open()
      await vi.waitFor(() => expect(c.types).toHaveLength(4))
      lists.push([...DESCRIPTORS, { type: 'acme.shout', version: 1, name: 'Shout', category: 'Text' }])
      source.emit('changed')
      await vi.waitFor(() => expect(c.byType['acme.shout'].name).toBe('Shout'))
      stop()
      expect(source.closed).toBe(true)
    })

    it('opens a new stream when the server ended the old one for good, and catches up', async () => {
      const c = useCatalog()
      const stop = c.follow()
      FakeEventSource.made[0].fail(false) // EventSource retries by itself: nothing to do
      expect(FakeEventSource.made).toHaveLength(1)
      FakeEventSource.made[0].fail(true)
      await vi.waitFor(() => expect(fetched).toBe(1))
      vi.advanceTimersByTime(RECONNECT_MS)
      expect(FakeEventSource.made).toHaveLength(2)
      FakeEventSource.made[1].open()
      await vi.waitFor(() => expect(fetched).toBe(2))
      stop()
      vi.advanceTimersByTime(RECONNECT_MS * 2)
      expect(FakeEventSource.made).toHaveLength(2)
    })
  })
})
