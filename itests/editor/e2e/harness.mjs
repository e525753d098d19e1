// Shared by the editor's browser tests and the canvas benchmark: the real distribution started as a
// process (copied to a temporary folder, its own port and data folder) and Debian's Chromium driven
// by playwright-core. Nothing is mocked; waits are for conditions with deadlines, never plain sleeps.
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium } from 'playwright-core'
import { after, before } from 'node:test'
import assert from 'node:assert/strict'

const HERE = new URL('.', import.meta.url).pathname
export const REPO = resolve(HERE, '../../..')
export const DIST = process.env.QFLOW_DIST || join(REPO, 'runtime/target/qflow')
export const SCREENSHOTS = process.env.QFLOW_SCREENSHOTS || join(REPO, 'docs/screenshots')
export const CHROMIUM = process.env.QFLOW_CHROMIUM || '/usr/bin/chromium'

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer()
    server.unref()
    server.on('error', fail)
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => ok(port)) })
  })
}

/** Polls `probe` until it returns a truthy value; fails with `what` and the last error after `ms`. */
export async function until(what, probe, ms = 30000, every = 100) {
  const deadline = Date.now() + ms
  let last
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (e) { last = e }
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}${last ? `: ${last.message}` : ''}`)
    await new Promise((r) => setTimeout(r, every))
  }
}

/**
 * Starts a copy of the distribution; resolves when health is UP and `/` serves the editor.
 * `env` adds environment variables (settings such as QFLOW_PYTHON_FINDLINKS) to the process.
 */
export async function startRuntime({ env = {} } = {}) {
  if (!existsSync(join(DIST, 'bin/qflow'))) throw new Error(`No distribution at ${DIST}: build it first (mvn install -pl runtime -am)`)
  const dir = mkdtempSync(join(tmpdir(), 'qflow-editor-e2e-'))
  cpSync(DIST, dir, { recursive: true })
  rmSync(join(dir, 'data'), { recursive: true, force: true })
  mkdirSync(join(dir, 'data'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let log = ''
  const child = spawn(join(dir, 'bin/qflow'), [], {
    cwd: dir,
    env: { ...process.env, ...env, QFLOW_PORT: String(port), QFLOW_HOST: '127.0.0.1', QFLOW_DATA: join(dir, 'data'), QFLOW_PLUGINS: join(dir, 'plugins') },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child.stdout.on('data', (d) => { log += d })
  child.stderr.on('data', (d) => { log += d })
  let exited = null
  child.on('exit', (code) => { exited = code })
  const runtime = {
    url, dir, port,
    log: () => log,
    async stop() {
      if (exited === null) {
        try { process.kill(-child.pid, 'SIGTERM') } catch { /* gone */ }
        await until('the runtime to stop', () => exited !== null, 20000).catch(() => { try { process.kill(-child.pid, 'SIGKILL') } catch { /* gone */ } })
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
  try {
    await until('the runtime to be UP', async () => {
      if (exited !== null) throw new Error(`bin/qflow exited with ${exited}:\n${log.slice(-3000)}`)
      const health = await fetch(`${url}/api/v1/health`).then((r) => r.json())
      if (health.status !== 'UP') return false
      const page = await fetch(`${url}/`).then((r) => r.text())
      return page.includes('id="app"')
    }, 90000, 200)
  } catch (e) {
    await runtime.stop()
    throw new Error(`${e.message}\n--- runtime log ---\n${log.slice(-4000)}`)
  }
  return runtime
}

/**
 * Headless Chromium with a fresh profile at 1280×800. Every console error and uncaught page error
 * is collected; `errors()` lists them. A network answer the test provokes on purpose (e.g. a 422
 * validation problem) is logged by Chromium as "Failed to load resource"; `allowStatus` names those.
 */
export async function openBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set QFLOW_CHROMIUM)`)
  const profile = mkdtempSync(join(tmpdir(), 'qflow-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  })
  const page = context.pages()[0] || await context.newPage()
  const errors = []
  const allowed = new Set()
  page.on('console', (m) => {
    if (m.type() !== 'error') return
    const status = /status of (\d{3})/.exec(m.text())
    if (status && allowed.has(Number(status[1]))) return
    errors.push(`console: ${m.text()} @ ${m.location().url}`)
  })
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  return {
    page,
    errors: () => errors,
    allowStatus: (status) => allowed.add(status),
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })
}

export async function api(runtime, method, path, body) {
  const r = await fetch(`${runtime.url}/api/v1${path}`, {
    method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  })
  const text = await r.text()
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`)
  return text ? JSON.parse(text) : null
}

/** Drags a node type from the palette and drops it at (x, y) of the canvas (HTML5 drag and drop, as a user does). */
export async function dragFromPalette(page, type, x, y) {
  await page.locator(`[data-testid="palette-${type}"]`).dragTo(page.locator('[data-testid="canvas"] .vue-flow__pane'), { targetPosition: { x, y } })
}

/** Drags with the mouse from one port to another, in small steps like a hand would. */
export async function dragPort(page, fromTestId, toTestId) {
  const a = await page.locator(`[data-testid="${fromTestId}"]`).boundingBox()
  const b = await page.locator(`[data-testid="${toTestId}"]`).boundingBox()
  if (!a || !b) throw new Error(`port not visible: ${!a ? fromTestId : toTestId}`)
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  const steps = 12
  for (let i = 1; i <= steps; i++) {
    await page.mouse.move(a.x + a.width / 2 + ((b.x - a.x) * i) / steps, a.y + a.height / 2 + ((b.y - a.y) * i) / steps)
  }
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2)
  await page.mouse.up()
}

export function pluginJar() {
  const jar = process.env.QFLOW_PLUGIN_JAR || join(REPO, 'plugin-sdk/example/target/io.qflow.example.greeting-0.1.0-SNAPSHOT.jar')
  if (!existsSync(jar)) throw new Error(`No plugin JAR at ${jar}: build plugin-sdk/example first`)
  return readFileSync(jar)
}

/**
 * For a test file: one runtime and one browser for all its tests, started before the first and
 * stopped after the last. The returned object's `runtime`, `browser` and `page` are set once started.
 * `options` go to startRuntime.
 */
export function runtimeAndBrowser(options) {
  const shared = {}
  before(async () => {
    shared.runtime = await startRuntime(options)
    shared.browser = await openBrowser()
    shared.page = shared.browser.page
  })
  after(async () => {
    if (shared.browser) await shared.browser.close()
    if (shared.runtime) await shared.runtime.stop()
  })
  return shared
}

/** Fails when the browser logged a console error or an uncaught page error. */
export function noConsoleErrors(browser) {
  assert.deepEqual(browser.errors(), [], 'the browser console stays free of errors')
}
