// The credentials page in a real browser against the real runtime: a credential with two fields added
// through the form is listed with its field names and never its values, a wrong name is refused next
// to the field, a replacement is what a node then reads (a core.set run through the API shows it),
// config fields complete secrets.<name>.<field>, and a deleted credential leaves the list.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runtimeAndBrowser, screenshot, api, until, noConsoleErrors } from './harness.mjs'

const shared = runtimeAndBrowser()

const USER = 'alice-5c1e'
const PASSWORD = 'pw-9d27f0'
const NEW_USER = 'bob-77a4'
const NEW_PASSWORD = 'pw-e3b8c2'

const chips = (page, name) => page.getByTestId(`credential-row-${name}`).getByTestId('credential-field').allTextContents()
const typedValues = (page) => page.locator('input[type="password"]').evaluateAll((els) => els.map((e) => e.value))

async function fillFields(page, fields) {
  for (const [i, [key, value]] of fields.entries()) {
    if (await page.getByTestId(`credential-field-key-${i}`).count() === 0) await page.getByTestId('credential-add-field').click()
    await page.getByTestId(`credential-field-key-${i}`).fill(key)
    await page.getByTestId(`credential-field-value-${i}`).fill(value)
  }
}

test('add, list, replace, use and delete a credential', async () => {
  const { runtime, browser, page } = shared
  browser.allowStatus(422) // the wrong name below is refused by the server on purpose
  await page.goto(`${runtime.url}/`)
  await page.getByTestId('nav-credentials').click()
  await page.getByTestId('credentials-empty').waitFor()
  assert.match(page.url(), /\/credentials$/)

  // a name the server refuses: its problem is shown under the name field, nothing is stored
  await page.getByTestId('credential-name').fill('9lives')
  await fillFields(page, [['token', 'x']])
  await page.getByTestId('credential-save').click()
  const nameError = page.getByTestId('credential-name-error')
  await nameError.waitFor()
  assert.match(await nameError.textContent(), /name/i)
  assert.deepEqual(await api(runtime, 'GET', '/credentials'), [])

  // two fields, stored as an object; afterwards the form holds no value and the page shows none
  await page.getByTestId('credential-name').fill('svc')
  await fillFields(page, [['user', USER], ['password', PASSWORD]])
  await page.getByTestId('credential-save').click()
  await page.getByTestId('credential-row-svc').waitFor()
  assert.deepEqual(await chips(page, 'svc'), ['user', 'password'])
  assert.equal(await nameError.count(), 0, 'the earlier problem is gone')
  assert.deepEqual((await api(runtime, 'GET', '/credentials')).map((c) => [c.name, c.fields]), [['svc', ['user', 'password']]])
  assert.deepEqual(new Set(await typedValues(page)), new Set(['']), 'the typed values are cleared')
  let html = await page.content()
  for (const secret of [USER, PASSWORD]) assert.equal(html.includes(secret), false, `${secret} is nowhere in the page`)
  assert.match(await page.getByTestId('credentials-hint').textContent(), /\{\{ secrets\.svc\.user }}/)

  // replace: the field names are offered again, the values typed anew
  const before = (await api(runtime, 'GET', '/credentials'))[0].updatedAt
  await page.getByTestId('credential-row-svc').getByRole('button', { name: 'Replace' }).click()
  assert.equal(await page.getByTestId('credential-name').inputValue(), 'svc')
  assert.equal(await page.getByTestId('credential-field-key-1').inputValue(), 'password')
  assert.deepEqual(new Set(await typedValues(page)), new Set(['']), 'no stored value comes back into the form')
  await fillFields(page, [['user', NEW_USER], ['password', NEW_PASSWORD]])
  await screenshot(page, 'credentials')
  await page.getByTestId('credential-save').click()
  await until('the replacement stored', async () => (await api(runtime, 'GET', '/credentials'))[0].updatedAt !== before, 5000)
  await until('the form back to "Add credential"', async () => (await page.getByTestId('credential-form').locator('h3').textContent()) === 'Add credential', 5000)
  html = await page.content()
  for (const secret of [NEW_USER, NEW_PASSWORD]) assert.equal(html.includes(secret), false, `${secret} is nowhere in the page`)

  // a node reads what the form stored
  const wf = await api(runtime, 'POST', '/workflows', {
    schemaVersion: 1, name: 'Uses svc',
    nodes: [{ id: 'start', type: 'core.input' }, { id: 'who', type: 'core.set', config: { values: { user: '{{ secrets.svc.user }}' } } }],
    connections: [{ from: 'start.out', to: 'who.in' }],
  })
  const run = await api(runtime, 'POST', `/workflows/${wf.id}/executions`, { wait: true })
  assert.equal(run.status, 'succeeded', JSON.stringify(run))
  assert.deepEqual(run.outputs.who.out, { user: NEW_USER })

  // delete (confirmed): gone from the list and from the server
  page.once('dialog', (d) => d.accept())
  await page.getByTestId('credential-row-svc').getByRole('button', { name: 'Delete' }).click()
  await page.getByTestId('credentials-empty').waitFor()
  assert.deepEqual(await api(runtime, 'GET', '/credentials'), [])
  noConsoleErrors(browser)
})

test('config fields complete secrets.<name> and secrets.<name>.<field>', async () => {
  const { runtime, browser, page } = shared
  await api(runtime, 'PUT', '/credentials/github', { value: { token: 'ghp_x', user: 'octo' } })
  const wf = await api(runtime, 'POST', '/workflows', {
    schemaVersion: 1, name: 'Calls GitHub',
    nodes: [{ id: 'start', type: 'core.input' }, { id: 'call', type: 'core.http.request', config: { url: 'https://api.github.com/user' } }],
    connections: [{ from: 'start.out', to: 'call.in' }],
  })
  await page.goto(`${runtime.url}/workflows/${wf.id}`)
  await page.getByTestId('node-call').click()
  const url = page.getByTestId('field-/url-input')
  await url.click()
  await url.press('End')
  await url.pressSequentially('?u={{ secrets.git')
  const offered = page.getByTestId('completions').locator('code')
  await until('secrets offered', async () => (await offered.allTextContents()).includes('secrets.github.user'), 5000)
  assert.deepEqual(await offered.allTextContents(), ['secrets.github', 'secrets.github.token', 'secrets.github.user'])
  await url.press('ArrowDown')
  await url.press('ArrowDown')
  await url.press('Enter')
  assert.equal(await url.inputValue(), 'https://api.github.com/user?u={{ secrets.github.user }}')
  noConsoleErrors(browser)
})
