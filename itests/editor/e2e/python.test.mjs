// A Python node made in the editor: paste code, pick the function, test it, save it as a named node,
// then use it in a workflow and run it. Needs the Python API (/api/v1/python/...) of the runtime:
// when the server does not offer it, this test fails and says so.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runtimeAndBrowser, screenshot, api, dragFromPalette, dragPort, until } from './harness.mjs'

const shared = runtimeAndBrowser()

const CODE = `def double(x: int) -> int:
    """Twice x."""
    return x * 2
`

test('create a Python node from pasted code, test it, save it and run it in a workflow', async () => {
  const { runtime, browser } = shared
  const openapi = await api(runtime, 'GET', '/openapi.json')
  assert.ok(openapi.paths['/api/v1/python/analyze'] && openapi.paths['/api/v1/python/nodes'],
    'the runtime offers no Python API (/api/v1/python/analyze and /nodes are missing from its OpenAPI document)')

  const { page } = shared
  await page.goto(`${runtime.url}/python`)
  await page.locator('.cm-content').click()
  await page.keyboard.insertText(CODE)
  await until('the analysis to offer double()', async () => (await page.getByTestId('python-function').inputValue()) === 'double', 20000)
  assert.match(await page.getByTestId('python-types').textContent(), /integer/)
  await page.getByTestId('python-sample').fill('{"x": 21}')
  await page.getByTestId('python-expected').fill('42')
  await page.getByTestId('python-test').click()
  const result = page.getByTestId('python-test-result')
  await result.waitFor({ timeout: 60000 })
  assert.match(await result.textContent(), /passed/)
  assert.match(await result.textContent(), /42/)
  await page.getByTestId('python-node-name').fill('double')
  await page.getByTestId('python-save').click()
  await until('the saved node in the list', async () => /double/.test(await page.getByTestId('python-saved').textContent()), 15000)
  await screenshot(page, 'python')

  // the saved node is in the palette of a new workflow
  await page.getByTestId('nav-workflows').click()
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('palette-python.user.double').waitFor({ timeout: 15000 })
  await dragFromPalette(page, 'core.input', 150, 200)
  await dragFromPalette(page, 'python.user.double', 450, 200)
  await page.getByTestId('node-double').waitFor()
  await dragPort(page, 'port-input-out-out', 'port-double-in-x')
  await page.locator('.vue-flow__pane').click({ position: { x: 500, y: 500 } })
  await page.getByTestId('run-input').fill('21')
  await page.getByTestId('run').click()
  await until('the Python run to succeed', async () => (await page.getByTestId('execution-status').textContent().catch(() => '')) === 'succeeded', 60000)
  assert.match(await page.getByTestId('execution-outputs').textContent(), /42/)
  assert.deepEqual(browser.errors(), [])
})
