import { reactive } from 'vue'

// A small history router: /, /workflows/<id>, /executions, /plugins, /python, /credentials. The REST front
// answers any such path with index.html (SPA fallback), so every screen has a real URL.
export const route = reactive({ name: 'workflows', params: {}, query: {} })

const ROUTES = [
  [/^\/?$/, 'workflows'],
  [/^\/workflows\/?$/, 'workflows'],
  [/^\/workflows\/([^/]+)\/?$/, 'editor', ['id']],
  [/^\/executions\/?$/, 'executions'],
  [/^\/plugins\/?$/, 'plugins'],
  [/^\/python\/?$/, 'python'],
  [/^\/credentials\/?$/, 'credentials'],
]

export function resolve(path, search = '') {
  const query = Object.fromEntries(new URLSearchParams(search))
  for (const [re, name, keys = []] of ROUTES) {
    const m = re.exec(path)
    if (m) return { name, params: Object.fromEntries(keys.map((k, i) => [k, decodeURIComponent(m[i + 1])])), query }
  }
  return { name: 'notfound', params: {}, query }
}

function sync() {
  Object.assign(route, resolve(location.pathname, location.search))
}

export function navigate(to, { replace = false } = {}) {
  if (to === location.pathname + location.search) return
  history[replace ? 'replaceState' : 'pushState'](null, '', to)
  sync()
}

export function startRouter() {
  window.addEventListener('popstate', sync)
  sync()
}
