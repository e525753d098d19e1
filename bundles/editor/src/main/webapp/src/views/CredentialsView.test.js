import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import CredentialsView from './CredentialsView.vue'

function jsonResponse(status, body, type = 'application/json') {
  return { ok: status < 300, status, statusText: '', text: async () => (body === null ? '' : JSON.stringify(body)), headers: { get: () => type } }
}

/** A stand-in for the credentials API: keeps what was PUT, lists names and fields only. */
function fakeServer() {
  const stored = new Map()
  const puts = []
  global.fetch = vi.fn(async (url, init) => {
    const name = decodeURIComponent(url.split('/credentials/')[1] || '')
    if (init.method === 'GET') {
      return jsonResponse(200, [...stored].map(([n, v]) => ({ name: n, updatedAt: '2025-01-01T00:00:00Z', fields: v && typeof v === 'object' ? Object.keys(v) : [] })))
    }
    if (init.method === 'PUT') {
      const { value } = JSON.parse(init.body)
      puts.push([name, value])
      if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name)) {
        return jsonResponse(422, { status: 422, detail: 'invalid credential', errors: [{ code: 'credential.name.invalid', message: 'a name starts with a letter', field: '/name' }] }, 'application/problem+json')
      }
      stored.set(name, value)
      return jsonResponse(200, { name, updatedAt: '2025-01-01T00:00:00Z', fields: typeof value === 'object' ? Object.keys(value) : [] })
    }
    stored.delete(name)
    return jsonResponse(204, null)
  })
  return { puts }
}

const byId = (w, id) => w.find(`[data-testid="${id}"]`)

describe('credentials page', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('stores named fields as an object and then forgets the typed values', async () => {
    const server = fakeServer()
    const w = mount(CredentialsView)
    await flushPromises()
    await byId(w, 'credential-name').setValue('pg')
    await byId(w, 'credential-field-key-0').setValue('user')
    await byId(w, 'credential-field-value-0').setValue('app')
    await byId(w, 'credential-add-field').trigger('click')
    await byId(w, 'credential-field-key-1').setValue('password')
    await byId(w, 'credential-field-value-1').setValue('s3cret')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    expect(server.puts).toEqual([['pg', { user: 'app', password: 's3cret' }]])
    expect(byId(w, 'credential-row-pg').findAll('.chip').map((c) => c.text())).toEqual(['user', 'password'])
    expect(byId(w, 'credential-field-value-0').element.value).toBe('')
    expect(w.html()).not.toContain('s3cret')
  })

  it('stores one secret as a JSON string', async () => {
    const server = fakeServer()
    const w = mount(CredentialsView)
    await byId(w, 'credential-name').setValue('hookToken')
    await byId(w, 'credential-kind-single').setValue(true)
    await byId(w, 'credential-value').setValue('tok')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    expect(server.puts).toEqual([['hookToken', 'tok']])
    expect(byId(w, 'credential-row-hookToken').text()).toContain('one value')
  })

  it('shows the server\'s problem next to the name, and its own before asking', async () => {
    const server = fakeServer()
    const w = mount(CredentialsView)
    await byId(w, 'credential-name').setValue('9lives')
    await byId(w, 'credential-field-key-0').setValue('token')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    expect(server.puts).toEqual([])
    expect(w.text()).toContain('Enter the value of token.')
    await byId(w, 'credential-field-value-0').setValue('x')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    expect(server.puts).toHaveLength(1)
    expect(byId(w, 'credential-name-error').text()).toBe('a name starts with a letter')
    expect(byId(w, 'credential-name').classes()).toContain('invalid')
  })

  it('replaces with the known field names, values typed again', async () => {
    const server = fakeServer()
    const w = mount(CredentialsView)
    await byId(w, 'credential-name').setValue('api')
    await byId(w, 'credential-field-key-0').setValue('key')
    await byId(w, 'credential-field-value-0').setValue('one')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    await byId(w, 'credential-row-api').find('button').trigger('click')
    expect(byId(w, 'credential-name').element.readOnly).toBe(true)
    expect(byId(w, 'credential-field-key-0').element.value).toBe('key')
    expect(byId(w, 'credential-field-value-0').element.value).toBe('')
    await byId(w, 'credential-field-value-0').setValue('two')
    await byId(w, 'credential-form').trigger('submit')
    await flushPromises()
    expect(server.puts).toEqual([['api', { key: 'one' }], ['api', { key: 'two' }]])
    expect(byId(w, 'credential-name').element.readOnly).toBe(false)
  })
})
