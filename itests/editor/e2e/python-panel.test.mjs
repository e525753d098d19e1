// The Python panel beyond pasting code: a .py file uploaded, its functions in the dropdown, a manual
// type for an un-annotated parameter that the saved node's port then carries, the detected
// requirement listed and installed with pip's progress shown while it builds. PyPI is unreachable
// here: the runtime installs from a wheel folder this test writes (QFLOW_PYTHON_FINDLINKS, NOINDEX),
// as itests/e2e PythonE2EIT does.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runtimeAndBrowser, screenshot, api, dragFromPalette, until, noConsoleErrors } from './harness.mjs'

/** A minimal pure-Python wheel (PEP 427) whose distribution and module are both `name`. */
function writeWheel(dir, name, version, source) {
  execFileSync('python3', ['-c', `
import base64, hashlib, sys, zipfile
d, name, version, source = sys.argv[1:5]
info = f"{name}-{version}.dist-info/"
files = {f"{name}/__init__.py": source,
         info + "METADATA": f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\n",
         info + "WHEEL": "Wheel-Version: 1.0\\nGenerator: qflow-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n"}
record = "".join(f"{p},sha256={base64.urlsafe_b64encode(hashlib.sha256(t.encode()).digest()).rstrip(b'=').decode()},{len(t.encode())}\\n" for p, t in files.items())
files[info + "RECORD"] = record + info + "RECORD,,\\n"
with zipfile.ZipFile(f"{d}/{name}-{version}-py3-none-any.whl", "w") as z:
    for p, t in files.items():
        z.writestr(p, t)
`, dir, name, version, source])
}

const wheels = mkdtempSync(join(tmpdir(), 'qflow-editor-wheels-'))
writeWheel(wheels, 'qflowdemo', '1.0.0', 'def shout(s):\n    return s.upper() + "!"\n')
after(() => rmSync(wheels, { recursive: true, force: true }))

const shared = runtimeAndBrowser({ env: { QFLOW_PYTHON_FINDLINKS: wheels, QFLOW_PYTHON_NOINDEX: 'true' } })

const FILE = `import qflowdemo


def shout(text: str) -> str:
    """Loud text."""
    return qflowdemo.shout(text)


def add(a, b: int) -> int:
    """a plus b; a has no annotation."""
    return a + b
`

test('upload a .py file, pick a function, override a type, install its requirement and save it as a node', async () => {
  const { runtime, browser, page } = shared
  await page.goto(`${runtime.url}/python`)
  await page.getByTestId('python-upload').setInputFiles({ name: 'tools.py', mimeType: 'text/x-python', buffer: Buffer.from(FILE) })
  await until('the code in the editor', async () => /def add\(a, b: int\)/.test(await page.locator('.cm-content').textContent()), 5000)

  const dropdown = page.getByTestId('python-function')
  await until('the functions of the file in the dropdown', async () =>
    (await dropdown.locator('option').allTextContents()).join() === 'shout,add', 20000)
  await dropdown.selectOption('add')
  const types = page.getByTestId('python-types')
  assert.match(await types.getByRole('row', { name: /in a/ }).textContent(), /any/, 'the un-annotated parameter is inferred as any')
  assert.match(await types.getByRole('row', { name: /in b/ }).textContent(), /integer/)
  assert.equal(await page.getByTestId('python-return-type').textContent(), 'integer')

  // the import is a requirement; installing it streams pip's output while the environment builds
  assert.deepEqual(await page.getByTestId('python-requirements').locator('li').allTextContents(), ['qflowdemo'])
  await page.evaluate(() => {
    // records whether the first log line arrived while the button still said the build was running
    window.__logWhileInstalling = null
    new MutationObserver((_, observer) => {
      const log = document.querySelector('[data-testid="python-install-log"]')
      if (!log || !log.textContent) return
      window.__logWhileInstalling = /Installing/.test(document.querySelector('[data-testid="python-install"]').textContent)
      observer.disconnect()
    }).observe(document.body, { childList: true, subtree: true, characterData: true })
  })
  await page.getByTestId('python-install').click()
  await until('the environment to be ready', async () => (await page.getByTestId('toast').allTextContents()).some((t) => /Environment ready/.test(t)), 120000)
  const log = await page.getByTestId('python-install-log').textContent()
  assert.match(log, /Successfully installed qflowdemo-1\.0\.0/, 'pip\'s own output is shown')
  assert.equal(await page.evaluate(() => window.__logWhileInstalling), true, 'progress is shown before the build ends')
  assert.equal(await page.getByTestId('python-install').textContent(), 'Install')

  // a manual type for the un-annotated parameter: the test and the saved node use it
  await types.getByRole('row', { name: /in a/ }).getByRole('textbox').fill('integer')
  await page.getByTestId('python-sample').fill('{"a": 40, "b": 2}')
  await page.getByTestId('python-expected').fill('42')
  await page.getByTestId('python-test').click()
  const result = page.getByTestId('python-test-result')
  await result.waitFor({ timeout: 60000 })
  assert.match(await result.textContent(), /passed/)
  await page.getByTestId('python-node-name').fill('adder')
  await page.getByTestId('python-save').click()
  await until('the saved node in the list', async () => /adder/.test(await page.getByTestId('python-saved').textContent()), 15000)
  await screenshot(page, 'python-upload')
  const described = await api(runtime, 'GET', '/node-types/python.user.adder')
  assert.deepEqual(described.inputs.map((p) => [p.name, p.type]), [['a', 'integer'], ['b', 'integer']])

  // the port on the canvas shows the overridden type
  await page.getByTestId('nav-workflows').click()
  await page.getByTestId('new-workflow').click()
  await page.getByTestId('palette-python.user.adder').waitFor({ timeout: 15000 })
  await dragFromPalette(page, 'python.user.adder', 300, 200)
  const port = page.getByTestId('port-adder-in-a')
  await port.waitFor()
  assert.equal(await port.getAttribute('data-type'), 'integer')
  assert.match(await page.getByTestId('node-adder').textContent(), /a integer/)
  noConsoleErrors(browser)
})
