// The editor in a real browser against the real runtime: build a workflow by dragging, connect it,
// see an incompatible connection refused, configure it through the schema form, run it and watch
// statuses and outputs; delete/undo/redo by keyboard; the history, plugins and workflows pages.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runtimeAndBrowser, screenshot, api, dragFromPalette, dragPort, until } from './harness.mjs'

const shared = runtimeAndBrowser()

function noConsoleErrors() {
  assert.deepEqual(shared.browser.errors(), [], 'the browser console stays free of errors')
}

test('build a three-node workflow by dragging, refuse an incompatible connection, configure, run and watch it', async () => {
  const { runtime, browser, page } = shared
  await page.goto(`${runtime.url}/`)
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('palette-core.input').waitFor()
  await page.getByTestId('workflow-name').fill('Greeting from the editor')
  await page.getByTestId('workflow-name').press('Enter')

  await dragFromPalette(page, 'core.input', 120, 200)
  await dragFromPalette(page, 'core.set', 380, 200)
  await dragFromPalette(page, 'core.json.stringify', 640, 200)
  await dragFromPalette(page, 'core.csv.read', 380, 420)
  for (const id of ['input', 'set', 'json-stringify', 'csv-read']) await page.getByTestId(`node-${id}`).waitFor()

  await dragPort(page, 'port-input-out-out', 'port-set-in-in')
  await dragPort(page, 'port-set-out-out', 'port-json-stringify-in-in')
  await until('two connections on the canvas', async () => (await page.locator('.vue-flow__edge').count()) === 2, 5000)

  // set.out is an object, csv-read.in wants a string: refused, with both types named
  await dragPort(page, 'port-set-out-out', 'port-csv-read-in-in')
  const refusal = page.getByTestId('connection-refusal')
  await refusal.waitFor()
  const text = await refusal.textContent()
  assert.match(text, /set\.out \(object\)/)
  assert.match(text, /csv-read\.in \(string\)/)
  assert.equal(await page.locator('.vue-flow__edge').count(), 2, 'the refused connection is not drawn')
  await screenshot(page, 'connection-refused')

  // the fourth node goes again: Delete, then undo and redo by keyboard
  await page.getByTestId('node-csv-read').click()
  await page.keyboard.press('Delete')
  await until('csv-read deleted', async () => (await page.getByTestId('node-csv-read').count()) === 0, 5000)
  await page.keyboard.press('Control+z')
  await page.getByTestId('node-csv-read').waitFor()
  await page.keyboard.press('Control+Shift+z')
  await until('csv-read deleted again', async () => (await page.getByTestId('node-csv-read').count()) === 0, 5000)

  // configure set through the form generated from its JSON Schema
  await page.getByTestId('node-set').click()
  const values = page.getByTestId('field-/values-json')
  await values.fill('{"greeting": "Hello {{ in.name }}!"}')
  await values.blur()
  await page.getByTestId('node-json-stringify').click()
  await page.getByTestId('node-panel').waitFor()

  // run with an input, from the workflow panel
  await page.locator('.vue-flow__pane').click({ position: { x: 600, y: 500 } })
  await page.getByTestId('run-input').fill('{"name": "Ada"}')
  await page.keyboard.press('Control+Enter')
  await until('the run to succeed', async () => (await page.getByTestId('execution-status').textContent().catch(() => '')) === 'succeeded', 30000)
  for (const id of ['input', 'set', 'json-stringify']) {
    assert.equal(await page.getByTestId(`node-${id}`).getAttribute('data-status'), 'succeeded', `${id} shows succeeded`)
  }
  assert.match(await page.getByTestId('execution-outputs').textContent(), /Hello Ada!/)

  // the workflow was saved as drawn
  const id = (await page.getByTestId('workflow-id').textContent()).split(' ')[0]
  const stored = await api(runtime, 'GET', `/workflows/${id}`)
  assert.equal(stored.name, 'Greeting from the editor')
  assert.deepEqual(stored.nodes.map((n) => n.id), ['input', 'set', 'json-stringify'])
  assert.deepEqual(stored.connections, [{ from: 'input.out', to: 'set.in' }, { from: 'set.out', to: 'json-stringify.in' }])
  assert.deepEqual(stored.nodes[1].config, { values: { greeting: 'Hello {{ in.name }}!' } })

  // a node's inputs and outputs, and the data on a connection
  await page.getByTestId('node-set').click()
  await page.getByTestId('tab-run').click()
  assert.match(await page.getByTestId('run-inputs').textContent(), /"name": "Ada"/)
  assert.match(await page.getByTestId('run-outputs').textContent(), /"greeting": "Hello Ada!"/)
  await screenshot(page, 'editor-run')
  await page.locator('.vue-flow__edge').nth(1).click({ force: true })
  await page.getByTestId('edge-panel').waitFor()
  assert.match(await page.getByTestId('edge-data').textContent(), /Hello Ada!/)
  noConsoleErrors()
})

test('server validation problems land on the node and the field', async () => {
  const { runtime, browser, page } = shared
  browser.allowStatus(422)
  await page.goto(`${runtime.url}/workflows/new`)
  await dragFromPalette(page, 'core.limit', 300, 200)
  await page.getByTestId('node-limit').click()
  await page.getByTestId('field-/count-input').fill('-3')
  await page.getByTestId('field-/count-input').blur()
  await page.keyboard.press('Control+s')
  const error = page.getByTestId('field-/count').getByTestId('field-error')
  await error.waitFor()
  assert.match(await error.textContent(), /count/)
  assert.match(await page.getByTestId('node-limit').textContent(), /⚠/)
  assert.equal(await page.getByTestId('workflow-id').textContent().then((t) => t.startsWith('not saved')), true)
  await screenshot(page, 'validation')
  for (const toast of await page.getByTestId('toast').all()) await toast.click() // dismissed, so later screenshots do not show it
  noConsoleErrors()
})

test('history, workflows and plugins pages', async () => {
  const { runtime, browser, page } = shared
  await page.getByTestId('nav-executions').click()
  await page.locator('[data-testid^="execution-row-"]').first().waitFor()
  await screenshot(page, 'executions')
  await page.locator('[data-testid^="execution-row-"]').first().getByText('Open').click()
  await until('the opened run on the canvas', async () => (await page.getByTestId('node-set').getAttribute('data-status')) === 'succeeded', 10000)

  await page.getByTestId('nav-workflows').click()
  await page.locator('[data-testid^="workflow-row-"]').first().waitFor()
  await page.locator('[data-testid^="workflow-row-"]').first().getByText('Duplicate').click()
  await until('the duplicate', async () => (await page.locator('[data-testid^="workflow-row-"]').count()) === 2, 5000)
  await screenshot(page, 'workflows')

  await page.getByTestId('nav-plugins').click()
  await page.getByTestId('plugin-row-io.qflow.node.core').waitFor()
  await screenshot(page, 'plugins')
  noConsoleErrors()
})

test('approve a waiting approval node from the canvas', async () => {
  const { runtime, browser, page } = shared
  const saved = await api(runtime, 'POST', '/workflows', {
    schemaVersion: 1, name: 'Needs approval',
    nodes: [{ id: 'start', type: 'core.input', position: { x: 0, y: 0 } },
      { id: 'review', type: 'core.approval', position: { x: 260, y: 0 }, config: { title: 'Ship it?' } }],
    connections: [{ from: 'start.out', to: 'review.in' }],
  })
  await page.goto(`${runtime.url}/workflows/${saved.id}`)
  await page.getByTestId('node-review').waitFor()
  await page.getByTestId('run').click()
  await until('the approval to wait', async () => (await page.getByTestId('node-review').getAttribute('data-status')) === 'waiting', 20000)
  await page.getByTestId('node-review').click()
  await page.getByTestId('tab-run').click()
  await page.getByTestId('approval').waitFor()
  assert.match(await page.getByTestId('approval').textContent(), /Ship it\?/)
  await screenshot(page, 'approval')
  await page.getByTestId('decide-approve').click()
  await until('the approved run to succeed', async () => (await page.getByTestId('node-review').getAttribute('data-status')) === 'succeeded', 20000)
  const runs = await api(runtime, 'GET', `/executions?workflowId=${saved.id}`)
  assert.equal(runs.items[0].status, 'succeeded')
  noConsoleErrors()
})

test('a saved workflow opens with its connections drawn; the canvas pans and its nodes answer clicks after', async () => {
  const { runtime, page } = shared
  const saved = await api(runtime, 'POST', '/workflows', {
    schemaVersion: 1, name: 'Drawn as stored',
    nodes: [{ id: 'a', type: 'core.input', position: { x: 0, y: 0 } }, { id: 'b', type: 'core.noop', position: { x: 260, y: 0 } },
      { id: 'c', type: 'core.noop', position: { x: 520, y: 0 } }],
    connections: [{ from: 'a.out', to: 'b.in' }, { from: 'b.out', to: 'c.in' }],
  })
  await page.goto(`${runtime.url}/workflows/${saved.id}`)
  await until('both stored connections on the canvas', async () => (await page.locator('.vue-flow__edge').count()) === 2, 10000)
  assert.equal(await page.locator('.vue-flow__edge-path[marker-end*="arrowclosed"]').count(), 2, 'each connection ends in an arrow head')
  assert.equal(await page.locator('.canvas-grid circle').count(), 1, 'the dot grid is drawn')

  const before = await page.getByTestId('node-b').boundingBox()
  const pane = await page.locator('[data-testid="canvas"] .vue-flow__pane').boundingBox()
  await page.mouse.move(pane.x + 30, pane.y + 30)
  await page.mouse.down()
  await page.mouse.move(pane.x + 110, pane.y + 70, { steps: 8 })
  await page.mouse.up()
  await until('the view to follow the drag', async () => {
    const after = await page.getByTestId('node-b').boundingBox()
    return Math.abs(after.x - before.x - 80) < 2 && Math.abs(after.y - before.y - 40) < 2
  }, 5000)
  await page.getByTestId('node-b').click()
  await page.getByTestId('node-panel').waitFor()
  noConsoleErrors()
})

test('activate and deactivate a workflow with a trigger from the workflows page', async () => {
  const { runtime, browser, page } = shared
  const saved = await api(runtime, 'POST', '/workflows', {
    schemaVersion: 1, name: 'Hooked',
    nodes: [{ id: 'hook', type: 'trigger.webhook', config: { path: 'editor-e2e', method: 'POST' } }, { id: 'done', type: 'core.noop' }],
    connections: [{ from: 'hook.body', to: 'done.in' }],
  })
  await page.goto(`${runtime.url}/`)
  const toggle = page.getByTestId(`activate-${saved.id}`)
  await toggle.check()
  await until('the workflow to be active', async () => (await api(runtime, 'GET', '/activations')).some((a) => a.workflowId === saved.id && a.active), 15000)
  await until('the checkbox to show it', async () => toggle.isChecked(), 5000)
  await toggle.uncheck()
  await until('the workflow to be inactive', async () => !(await api(runtime, 'GET', '/activations')).some((a) => a.workflowId === saved.id), 15000)
  noConsoleErrors()
})
