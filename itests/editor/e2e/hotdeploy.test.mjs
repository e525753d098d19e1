// A plugin dropped into plugins/ while the editor is open appears in the palette without a reload,
// and disappears again when its JAR is deleted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runtimeAndBrowser, screenshot, pluginJar, until } from './harness.mjs'

const shared = runtimeAndBrowser()

test('hot-deploying a plugin changes the palette without a reload', async () => {
  const { runtime, browser, page } = shared
  await page.goto(`${runtime.url}/workflows/new`)
  await page.getByTestId('palette-core.input').waitFor()
  assert.equal(await page.getByTestId('palette-example.greet').count(), 0)
  // survives only as long as the page is not reloaded
  await page.evaluate(() => { window.__notReloaded = true })

  const jar = join(runtime.dir, 'plugins', 'greeting.jar')
  const copied = Date.now()
  writeFileSync(jar, pluginJar())
  await page.getByTestId('palette-example.greet').waitFor({ timeout: 15000 })
  console.log(`[editor-e2e] example.greet in the palette ${Date.now() - copied} ms after its JAR was copied into plugins/`)
  await page.getByTestId('palette-search').fill('greet')
  await screenshot(page, 'palette-hot-deploy')
  await page.getByTestId('palette-search').fill('')

  const removed = Date.now()
  rmSync(jar)
  await until('example.greet to leave the palette', async () => (await page.getByTestId('palette-example.greet').count()) === 0, 15000)
  console.log(`[editor-e2e] example.greet gone from the palette ${Date.now() - removed} ms after its JAR was deleted`)
  assert.equal(await page.evaluate(() => window.__notReloaded), true, 'the page was not reloaded')
  assert.deepEqual(browser.errors(), [])
})
