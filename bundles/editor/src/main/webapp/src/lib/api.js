// The only door to the server: every call goes through the public REST API under /api/v1.
// Errors come back as ApiError carrying the RFC 9457 problem document (with `errors` for 422).

export const BASE = '/api/v1'
const TOKEN_KEY = 'qflow.token'

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`)
    this.status = status
    this.problem = problem || {}
  }
  /** Validation problems (`errors` of a 422): [{code, message, nodeId, port, field}] */
  get errors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : []
  }
}

export function token() {
  try { return localStorage.getItem(TOKEN_KEY) || '' } catch { return '' }
}
export function setToken(value) {
  try { value ? localStorage.setItem(TOKEN_KEY, value) : localStorage.removeItem(TOKEN_KEY) } catch { /* private mode */ }
}

function headers(extra) {
  const h = { Accept: 'application/json, application/problem+json', ...extra }
  const t = token()
  if (t) h.Authorization = `Bearer ${t}`
  return h
}

async function read(response) {
  if (response.status === 204) return null
  const text = await response.text()
  if (!text) return null
  try { return JSON.parse(text) } catch { return text }
}

/** fetch wrapper: JSON in and out; throws ApiError on any non-2xx answer. */
export async function request(method, path, body, { raw = false, signal } = {}) {
  const init = { method, headers: headers(), signal }
  if (body !== undefined) {
    if (raw) {
      init.body = body
    } else {
      init.headers['Content-Type'] = 'application/json'
      init.body = JSON.stringify(body)
    }
  }
  let response
  try {
    response = await fetch(path.startsWith('/') && !path.startsWith(BASE) ? BASE + path : path, init)
  } catch (e) {
    if (e && e.name === 'AbortError') throw e
    throw new ApiError(0, { title: 'Server not reachable', detail: `The Qflow server does not answer (${e.message}).` })
  }
  const data = await read(response)
  if (!response.ok) throw new ApiError(response.status, typeof data === 'object' ? data : { detail: String(data || response.statusText) })
  return data
}

export const api = {
  get: (path, opts) => request('GET', path, undefined, opts),
  post: (path, body, opts) => request('POST', path, body === undefined ? {} : body, opts),
  put: (path, body) => request('PUT', path, body),
  del: (path) => request('DELETE', path),
}

let capabilities = null
/**
 * Which optional APIs this server has (Python, live events, triggers), read from its OpenAPI
 * document: the editor never probes a missing endpoint, so an absent feature is a clear
 * "not available" state and never an error.
 */
export async function capabilitiesOf(refresh = false) {
  if (capabilities && !refresh) return capabilities
  let paths = {}
  try {
    const doc = await api.get('/openapi.json')
    paths = (doc && doc.paths) || {}
  } catch { /* no OpenAPI: assume only the core */ }
  const has = (p) => Object.prototype.hasOwnProperty.call(paths, BASE + p)
  const hasPrefix = (p) => Object.keys(paths).some((k) => k.startsWith(BASE + p))
  capabilities = {
    python: has('/python/analyze'),
    pythonTest: has('/python/test'),
    pythonNodes: has('/python/nodes'),
    pythonEnvironments: hasPrefix('/python/environments'),
    pythonInterpreters: has('/python/interpreters'),
    executionEvents: has('/executions/{id}/events'),
    events: has('/events'),
    activate: has('/workflows/{id}/activate'),
    credentials: has('/credentials'),
  }
  return capabilities
}
