// Helpers for rendering a node's config JSON Schema (2020-12) as a form.

/**
 * A field's schema with an anyOf/oneOf of "a type or an expression" (the core nodes' pattern)
 * folded into that type: the number and string fields accept `{{ }}` text anyway.
 */
export function effective(schema) {
  if (!schema || typeof schema !== 'object') return {}
  const branches = schema.anyOf || schema.oneOf
  if (!Array.isArray(branches) || schema.type) return schema
  const typed = branches.filter((b) => b && (b.type || b.enum || b.properties) && b.type !== 'null')
  if (typed.length !== 1) return schema
  const { anyOf, oneOf, ...rest } = schema
  return { ...typed[0], ...rest }
}

/** The effective kind of a schema: string, number, integer, boolean, enum, object, array or json (anything else). */
export function kindOf(schema) {
  if (!schema || typeof schema !== 'object') return 'json'
  if (Array.isArray(schema.enum)) return 'enum'
  if ('const' in schema) return 'enum'
  let t = schema.type
  if (Array.isArray(t)) t = t.filter((x) => x !== 'null').length === 1 ? t.find((x) => x !== 'null') : null
  if (!t && schema.properties) t = 'object'
  if (['string', 'number', 'integer', 'boolean', 'object', 'array'].includes(t)) {
    // a free-form object (no properties) is edited as JSON
    if (t === 'object' && !schema.properties) return 'json'
    return t
  }
  return 'json'
}

export function enumValues(schema) {
  return Array.isArray(schema.enum) ? schema.enum : ('const' in schema ? [schema.const] : [])
}

export function label(name, schema) {
  return (schema && schema.title) || name
}

/** A value a string field holds that is an expression, e.g. "{{ nodes.a.out }}" */
export function isExpression(v) {
  return typeof v === 'string' && v.includes('{{')
}

/** Default value for a new array item or object of this schema. */
export function emptyValue(schema) {
  if (schema && 'default' in schema) return JSON.parse(JSON.stringify(schema.default))
  switch (kindOf(schema)) {
    case 'string': return ''
    case 'number': case 'integer': return 0
    case 'boolean': return false
    case 'object': return {}
    case 'array': return []
    case 'enum': return enumValues(schema)[0]
    default: return null
  }
}

/**
 * Expression completions for a node: what `{{ ... }}` may name. Upstream nodes' ports first
 * (nodes.<id>.<port>), then the node's own inputs, the run-wide names and the stored credentials
 * (secrets.<name>, secrets.<name>.<field>: `credentials` as GET /credentials lists them).
 */
export function completionsFor(nodeId, workflow, catalog, credentials = []) {
  const out = []
  for (const n of workflow.nodes) {
    if (n.id === nodeId) continue
    for (const p of catalog.outputs(n.type)) out.push({ text: `nodes.${n.id}.${p.name}`, detail: p.type })
  }
  const self = workflow.nodes.find((n) => n.id === nodeId)
  if (self) for (const p of catalog.inputs(self.type)) out.push({ text: p.name === 'in' ? 'in' : `inputs.${p.name}`, detail: p.type })
  out.push({ text: 'input', detail: "the run's input" }, { text: 'vars.', detail: 'settings.vars' },
    { text: 'execution.id', detail: 'string' }, { text: 'trigger', detail: 'what started the run' })
  for (const c of credentials) {
    out.push({ text: `secrets.${c.name}`, detail: 'credential' })
    for (const f of c.fields || []) out.push({ text: `secrets.${c.name}.${f}`, detail: 'credential field' })
  }
  return out
}

/** The partial expression before the caret, or null when the caret is not inside an open {{. */
export function openExpression(text, caret) {
  const before = text.slice(0, caret)
  const open = before.lastIndexOf('{{')
  if (open < 0 || before.lastIndexOf('}}') > open) return null
  return { start: open + 2, token: before.slice(open + 2).trimStart() }
}

/** Inserts a completion at the open expression, closing it: "Hi {{ nod" + nodes.a.out -> "Hi {{ nodes.a.out }}". */
export function applyCompletion(text, caret, completion) {
  const open = openExpression(text, caret)
  if (!open) return { text, caret }
  const after = text.slice(caret)
  const closes = /^\s*\w*\s*}}/.test(after)
  const tail = closes ? after.replace(/^\w*/, '') : ` }}${after}`
  const head = `${text.slice(0, open.start)} ${completion}`
  return { text: head + tail, caret: head.length + (closes ? 0 : 3) }
}
