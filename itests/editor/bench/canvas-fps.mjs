// ./qflow bench step 6: the editor's first-load JavaScript (gzipped) and canvas frame rate while
// panning a 500-node workflow, in headless Chromium against the real distribution.
// Env: NODES (500), PAN_MS (4000). Prints figures; exits non-zero only when something cannot run.
import { gzipSync } from 'node:zlib'
import { startRuntime, openBrowser, api, until } from '../e2e/harness.mjs'

const NODES = Number(process.env.NODES || 500)
const PAN_MS = Number(process.env.PAN_MS || 4000)

const runtime = await startRuntime()
let browser
try {
  // first load: index.html and what it loads eagerly (entry script, modulepreloads, CSS)
  const index = await fetch(`${runtime.url}/`).then((r) => r.text())
  const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1])
  let js = 0
  let jsRaw = 0
  let css = 0
  for (const a of assets) {
    const bytes = Buffer.from(await fetch(`${runtime.url}${a}`).then((r) => r.arrayBuffer()))
    if (a.endsWith('.js')) { js += gzipSync(bytes, { level: 9 }).length; jsRaw += bytes.length } else css += gzipSync(bytes, { level: 9 }).length
  }
  console.log(`first load: ${assets.length} assets, JavaScript ${(js / 1024).toFixed(1)} KB gzipped (${(jsRaw / 1024).toFixed(0)} KB raw), CSS ${(css / 1024).toFixed(1)} KB gzipped; budget 1024 KB: ${js <= 1024 * 1024 ? 'met' : 'NOT met'}`)

  // a 500-node workflow: a chain of no-op nodes on a 25-column grid
  const nodes = []
  const connections = []
  for (let i = 0; i < NODES; i++) {
    nodes.push({ id: `n${i}`, type: 'core.noop', position: { x: (i % 25) * 240, y: Math.floor(i / 25) * 120 } })
    if (i > 0) connections.push({ from: `n${i - 1}.out`, to: `n${i}.in` })
  }
  const saved = await api(runtime, 'POST', '/workflows', { schemaVersion: 1, name: `bench: ${NODES} nodes`, nodes, connections })

  browser = await openBrowser()
  const page = browser.page
  const started = Date.now()
  await page.goto(`${runtime.url}/workflows/${saved.id}`)
  await until(`${NODES} nodes on the canvas`, async () => (await page.locator('.vue-flow__node').count()) === NODES, 60000, 200)
  console.log(`canvas: ${NODES} nodes and ${connections.length} connections rendered ${Date.now() - started} ms after navigation`)

  async function pan(label) {
    const box = await page.locator('[data-testid="canvas"] .vue-flow__pane').boundingBox()
    // record every animation frame while the mouse drags the pane
    await page.evaluate(() => {
      window.__frames = []
      const tick = (t) => { window.__frames.push(t); if (!window.__stopFrames) requestAnimationFrame(tick) }
      window.__stopFrames = false
      requestAnimationFrame(tick)
    })
    const x0 = box.x + 8
    const y0 = box.y + box.height / 2
    await page.mouse.move(x0, y0)
    await page.mouse.down()
    const t0 = Date.now()
    let i = 0
    while (Date.now() - t0 < PAN_MS) {
      const phase = (i++ % 120) / 120
      const dx = Math.sin(phase * Math.PI * 2) * 300
      const dy = Math.cos(phase * Math.PI * 2) * 150 - 150
      await page.mouse.move(x0 + 300 + dx, y0 + dy)
    }
    await page.mouse.up()
    const frames = await page.evaluate(() => { window.__stopFrames = true; return window.__frames })
    const deltas = frames.slice(1).map((t, k) => t - frames[k]).sort((a, b) => a - b)
    const seconds = (frames[frames.length - 1] - frames[0]) / 1000
    const fps = (frames.length - 1) / seconds
    const p = (q) => deltas[Math.min(deltas.length - 1, Math.floor(q * deltas.length))]
    console.log(`panning ${label}: ${fps.toFixed(1)} fps over ${seconds.toFixed(1)} s (${i} mouse moves), frame time p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms, max ${deltas[deltas.length - 1].toFixed(1)} ms; target >= 50 fps: ${fps >= 50 ? 'met' : 'NOT met'}`)
  }
  if (process.env.EXTRA_CSS) await page.addStyleTag({ content: process.env.EXTRA_CSS })
  await page.getByTestId('fit').click()
  await page.waitForTimeout(400) // let the fit animation end before measuring (not a race: a settle time for the figure)
  await pan(`all ${NODES} nodes in view (fit)`)
  await page.locator('.vue-flow__controls-zoomin').click()
  await page.locator('.vue-flow__controls-zoomin').click()
  await pan(`zoomed in`)
  if (browser.errors().length) console.log(`console errors: ${browser.errors().join(' | ')}`)
} finally {
  if (browser) await browser.close()
  await runtime.stop()
}
