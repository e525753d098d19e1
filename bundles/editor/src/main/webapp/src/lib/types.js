// DataType in the browser: the same parse and `accepts` rule as io.qflow.sdk.DataType, so the
// canvas can highlight compatible ports while a connection is dragged, without a round trip.

const ALIASES = { list: 'array', dict: 'object', str: 'string', int: 'integer', float: 'number', bool: 'boolean' }
const SIMPLE = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array', 'any', 'binary'])

export function parseType(text) {
  const p = { s: String(text || '').trim(), i: 0 }
  if (!p.s) throw new Error('empty data type')
  const t = parseOne(p)
  skip(p)
  if (p.i !== p.s.length) throw new Error(`unexpected '${p.s[p.i]}' in ${p.s}`)
  return t
}

function skip(p) { while (p.i < p.s.length && /\s/.test(p.s[p.i])) p.i++ }

function word(p) {
  skip(p)
  const m = /^[A-Za-z_][\w.]*/.exec(p.s.slice(p.i))
  if (!m) throw new Error(`expected a type at ${p.i} in ${p.s}`)
  p.i += m[0].length
  return m[0]
}

function parseOne(p) {
  let name = word(p).toLowerCase()
  let type
  if (name === 'python') {
    skip(p)
    if (p.s[p.i] !== ':') throw new Error('python types are python:<qualified.Name>')
    p.i++
    const m = /^[\w.]+/.exec(p.s.slice(p.i))
    if (!m) throw new Error('python type needs a name')
    p.i += m[0].length
    type = { kind: 'python', python: m[0] }
  } else {
    name = ALIASES[name] || name
    if (!SIMPLE.has(name)) throw new Error(`unknown data type '${name}'`)
    type = { kind: name }
    skip(p)
    if (name === 'array') {
      type.element = { kind: 'any' }
      if (p.s[p.i] === '<' || p.s[p.i] === '[') {
        const close = p.s[p.i] === '<' ? '>' : ']'
        p.i++
        type.element = parseOne(p)
        skip(p)
        if (p.s[p.i] !== close) throw new Error(`expected '${close}'`)
        p.i++
      }
    } else if (name === 'object' && p.s[p.i] === '{') {
      p.i++
      type.properties = {}
      skip(p)
      while (p.s[p.i] !== '}') {
        const key = word(p)
        skip(p)
        if (p.s[p.i] !== ':') throw new Error("expected ':'")
        p.i++
        type.properties[key] = parseOne(p)
        skip(p)
        if (p.s[p.i] === ',') p.i++
        else if (p.s[p.i] !== '}') throw new Error("expected ',' or '}'")
        skip(p)
      }
      p.i++
    }
  }
  skip(p)
  if (p.s[p.i] === '?') { p.i++; type.nullable = true }
  return type
}

/** `target.accepts(source)` of the SDK, on parsed types. */
export function acceptsParsed(target, source) {
  if (target.kind === 'any' || source.kind === 'any') return true
  if (source.nullable && !target.nullable) return false
  switch (target.kind) {
    case 'number': return source.kind === 'number' || source.kind === 'integer'
    case 'array': return source.kind === 'array' && acceptsParsed(target.element, source.element)
    case 'object': {
      if (source.kind !== 'object') return false
      const want = target.properties || {}
      const have = source.properties || {}
      if (!Object.keys(want).length || !Object.keys(have).length) return true
      return Object.entries(want).every(([k, t]) => (k in have ? acceptsParsed(t, have[k]) : !!t.nullable))
    }
    case 'python': return source.kind === 'python' && (target.python === source.python || target.python === 'builtins.object')
    default: return target.kind === source.kind
  }
}

/** Whether an input of type `target` accepts values of type `source` (type strings); unparsable types never match. */
export function accepts(target, source) {
  try { return acceptsParsed(parseType(target), parseType(source)) } catch { return false }
}

/** The refusal (or acceptance) sentence, worded as the server's /node-types/compatibility answers it. */
export function compatibilityReason(target, source) {
  return accepts(target, source)
    ? `A ${target} input accepts values of type ${source}.`
    : `A ${target} input does not accept values of type ${source}.`
}
