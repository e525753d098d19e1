import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import SchemaForm from './SchemaForm.vue'

const SCHEMA = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', title: 'URL' },
    method: { type: 'string', enum: ['GET', 'POST'], default: 'GET' },
    retries: { type: 'integer' },
    follow: { type: 'boolean', title: 'Follow redirects' },
    headers: { type: 'object', properties: { accept: { type: 'string' } } },
    tags: { type: 'array', items: { type: 'string' } },
    body: { description: 'anything' },
  },
}

async function settle(wrapper) {
  vi.advanceTimersByTime(400)
  await wrapper.vm.$nextTick()
}

describe('SchemaForm', () => {
  it('renders one control per kind of schema', () => {
    const w = mount(SchemaForm, { props: { schema: SCHEMA, modelValue: { url: 'http://x', tags: ['a'] } } })
    expect(w.find('[data-testid="field-/url-input"]').element.value).toBe('http://x')
    expect(w.find('[data-testid="field-/method"] select').exists()).toBe(true)
    expect(w.find('[data-testid="field-/follow"] input[type=checkbox]').exists()).toBe(true)
    expect(w.find('[data-testid="field-/headers/accept"]').exists()).toBe(true)
    expect(w.find('[data-testid="field-/tags/0-input"]').element.value).toBe('a')
    expect(w.find('[data-testid="field-/body-json"]').exists()).toBe(true)
    expect(w.find('[data-testid="field-/url"] .req').exists()).toBe(true)
  })

  it('emits typed values: numbers, expressions kept as text, nested objects, array items', async () => {
    vi.useFakeTimers()
    const w = mount(SchemaForm, { props: { schema: SCHEMA, modelValue: {} } })
    await w.find('[data-testid="field-/retries-input"]').setValue('3')
    await w.find('[data-testid="field-/headers/accept-input"]').setValue('text/csv')
    await w.find('[data-testid="field-/tags-add"]').trigger('click')
    await settle(w)
    expect(w.emitted('update:modelValue').at(-1)[0]).toEqual({ retries: 3, headers: { accept: 'text/csv' }, tags: [''] })
    await w.find('[data-testid="field-/retries-input"]').setValue('{{ vars.n }}')
    await w.find('[data-testid="field-/method"] select').setValue('"POST"')
    await settle(w)
    expect(w.emitted('update:modelValue').at(-1)[0]).toMatchObject({ retries: '{{ vars.n }}', method: 'POST' })
    vi.useRealTimers()
  })

  it('shows the server validation errors on their fields', () => {
    const w = mount(SchemaForm, { props: { schema: SCHEMA, modelValue: {}, errors: { '/retries': 'string found, integer expected', '/headers/accept': 'bad' } } })
    expect(w.find('[data-testid="field-/retries"] [data-testid="field-error"]').text()).toBe('string found, integer expected')
    expect(w.find('[data-testid="field-/headers/accept"] [data-testid="field-error"]').text()).toBe('bad')
    expect(w.find('[data-testid="field-/url"] [data-testid="field-error"]').exists()).toBe(false)
  })

  it('offers node ports after {{ and completes the expression', async () => {
    const w = mount(SchemaForm, { props: { schema: SCHEMA, modelValue: {}, completions: [{ text: 'nodes.start.out', detail: 'any' }, { text: 'input', detail: '' }] } })
    const input = w.find('[data-testid="field-/url-input"]')
    input.element.value = 'x {{ nod'
    input.element.setSelectionRange(8, 8)
    await input.trigger('input')
    const items = w.findAll('[data-testid="completions"] li')
    expect(items.map((i) => i.find('code').text())).toEqual(['nodes.start.out'])
    await items[0].trigger('mousedown')
    expect(input.element.value).toBe('x {{ nodes.start.out }}')
  })

  it('keeps invalid JSON local and reports it', async () => {
    const w = mount(SchemaForm, { props: { schema: SCHEMA, modelValue: {} } })
    const area = w.find('[data-testid="field-/body-json"]')
    await area.setValue('{oops')
    await area.trigger('blur')
    expect(w.text()).toContain('Not JSON')
  })
})

describe('SchemaForm with the core nodes\' "type or expression" fields', () => {
  it('renders anyOf [integer, expression] as a number field', async () => {
    vi.useFakeTimers()
    const schema = { type: 'object', properties: { count: { anyOf: [{ type: 'integer', minimum: 0 }, { $ref: '#/$defs/expression' }], title: 'Count', default: 10 } } }
    const w = mount(SchemaForm, { props: { schema, modelValue: {} } })
    const input = w.find('[data-testid="field-/count-input"]')
    expect(input.attributes('placeholder')).toBe('default: 10')
    await input.setValue('5')
    await settle(w)
    expect(w.emitted('update:modelValue').at(-1)[0]).toEqual({ count: 5 })
    vi.useRealTimers()
  })
})
