import { beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useCatalog } from './catalog.js'
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
})
