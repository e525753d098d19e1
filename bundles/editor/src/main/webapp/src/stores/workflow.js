import { defineStore } from 'pinia'
import { api, ApiError } from '../lib/api.js'
import { accepts, compatibilityReason } from '../lib/types.js'
import { useCatalog } from './catalog.js'

const HISTORY_LIMIT = 100
/** Fields the server adds to a read document; never sent back. */
const DERIVED = ['available', 'problems', 'version', 'createdAt', 'updatedAt']

/** Flush functions of open forms that buffer edits (SchemaForm): run before the document is read for saving. */
export const pendingEdits = new Set()

function clone(v) { return v === undefined ? undefined : JSON.parse(JSON.stringify(v)) }

export function splitEnd(end) {
  const i = String(end).lastIndexOf('.')
  return i < 0 ? { node: end, port: '' } : { node: end.slice(0, i), port: end.slice(i + 1) }
}

/** A node id from its type: core.http.request -> http-request, python.user.score -> score. */
export function baseId(type) {
  const parts = String(type).split('.')
  const meaningful = parts[0] === 'core' || parts[0] === 'python' ? parts.slice(parts[1] === 'user' ? 2 : 1) : parts
  return (meaningful.join('-') || 'node').toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'node'
}

function emptyDocument() {
  return { schemaVersion: 1, name: 'Untitled workflow', settings: {}, nodes: [], connections: [] }
}

/**
 * The workflow being edited: its document, selection, undo/redo history, clipboard and the
 * problems the server reported for it. Every change goes through an action that records history.
 */
export const useWorkflow = defineStore('workflow', {
  state: () => ({
    id: null,
    version: null,
    doc: emptyDocument(),
    available: true,
    dirty: false,
    saving: false,
    past: [],
    future: [],
    clipboard: null,
    selectedNodes: [],
    selectedEdge: null,
    /** [{code, message, nodeId, port, field}] from the last save or validate */
    problems: [],
    problemDetail: '',
  }),
  getters: {
    nodes: (s) => s.doc.nodes,
    connections: (s) => s.doc.connections,
    node: (s) => (id) => s.doc.nodes.find((n) => n.id === id),
    canUndo: (s) => s.past.length > 0,
    canRedo: (s) => s.future.length > 0,
    problemsOf: (s) => (nodeId) => s.problems.filter((p) => p.nodeId === nodeId || (p.field || '').startsWith(`/nodes/${s.doc.nodes.findIndex((n) => n.id === nodeId)}/`)),
    /** config pointer (e.g. /groupBy) -> message, for the schema form of one node */
    fieldProblems: (s) => (nodeId) => {
      const index = s.doc.nodes.findIndex((n) => n.id === nodeId)
      const out = {}
      for (const p of s.problems) {
        const prefix = `/nodes/${index}/config`
        if (p.field && p.field.startsWith(prefix)) {
          const key = p.field.slice(prefix.length) || '/'
          out[key] = out[key] ? `${out[key]}; ${p.message}` : p.message
        }
      }
      return out
    },
    /** Problems that belong to no node (name, settings, connections) */
    generalProblems: (s) => s.problems.filter((p) => !p.nodeId),
  },
  actions: {
    record() {
      this.past.push(JSON.stringify(this.doc))
      if (this.past.length > HISTORY_LIMIT) this.past.shift()
      this.future = []
      this.dirty = true
    },
    undo() {
      if (!this.past.length) return
      this.future.push(JSON.stringify(this.doc))
      this.doc = JSON.parse(this.past.pop())
      this.dirty = true
      this.pruneSelection()
    },
    redo() {
      if (!this.future.length) return
      this.past.push(JSON.stringify(this.doc))
      this.doc = JSON.parse(this.future.pop())
      this.dirty = true
      this.pruneSelection()
    },
    pruneSelection() {
      const ids = new Set(this.doc.nodes.map((n) => n.id))
      this.selectedNodes = this.selectedNodes.filter((id) => ids.has(id))
      if (this.selectedEdge && !this.doc.connections.some((c) => edgeId(c) === this.selectedEdge)) this.selectedEdge = null
    },
    reset(document = emptyDocument(), meta = {}) {
      const doc = clone(document)
      for (const f of DERIVED) delete doc[f]
      doc.schemaVersion = doc.schemaVersion || 1
      doc.nodes = Array.isArray(doc.nodes) ? doc.nodes : []
      doc.connections = Array.isArray(doc.connections) ? doc.connections : []
      doc.settings = doc.settings && typeof doc.settings === 'object' ? doc.settings : {}
      this.id = meta.id !== undefined ? meta.id : (document.id || null)
      this.version = meta.version !== undefined ? meta.version : (document.version || null)
      this.available = document.available !== false
      this.doc = doc
      this.past = []
      this.future = []
      this.dirty = false
      this.selectedNodes = []
      this.selectedEdge = null
      this.problems = Array.isArray(document.problems) ? document.problems : []
      this.problemDetail = ''
    },
    async load(id) {
      const document = await api.get(`/workflows/${encodeURIComponent(id)}`)
      this.reset(document, { id: document.id, version: document.version })
    },
    uniqueId(type) {
      const base = baseId(type)
      const taken = new Set(this.doc.nodes.map((n) => n.id))
      if (!taken.has(base)) return base
      for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`
    },
    addNode(type, position = { x: 0, y: 0 }, config) {
      this.record()
      const node = { id: this.uniqueId(type), type, position: { x: Math.round(position.x), y: Math.round(position.y) } }
      if (config && Object.keys(config).length) node.config = clone(config)
      this.doc.nodes.push(node)
      this.selectedNodes = [node.id]
      this.selectedEdge = null
      return node.id
    },
    moveNodes(moves) {
      const changed = moves.filter(({ id, position }) => {
        const n = this.node(id)
        return n && (!n.position || Math.round(n.position.x) !== Math.round(position.x) || Math.round(n.position.y) !== Math.round(position.y))
      })
      if (!changed.length) return
      this.record()
      for (const { id, position } of changed) this.node(id).position = { x: Math.round(position.x), y: Math.round(position.y) }
    },
    removeNodes(ids) {
      const gone = new Set(ids)
      if (!gone.size) return
      this.record()
      this.doc.nodes = this.doc.nodes.filter((n) => !gone.has(n.id))
      this.doc.connections = this.doc.connections.filter((c) => !gone.has(splitEnd(c.from).node) && !gone.has(splitEnd(c.to).node))
      this.pruneSelection()
    },
    removeConnection(id) {
      const before = this.doc.connections.length
      const keep = this.doc.connections.filter((c) => edgeId(c) !== id)
      if (keep.length === before) return
      this.record()
      this.doc.connections = keep
      if (this.selectedEdge === id) this.selectedEdge = null
    },
    portType(nodeId, port, direction) {
      const node = this.node(nodeId)
      if (!node) return null
      const catalog = useCatalog()
      const ports = direction === 'in' ? catalog.inputs(node.type) : catalog.outputs(node.type)
      const found = ports.find((p) => p.name === port)
      if (found) return found.type
      // onError: continue adds an `error` port that no descriptor lists
      if (direction === 'out' && port === 'error') return 'object'
      return null
    },
    /** {ok, reason, sourceType, targetType}: the SDK's linking rule, with both types named. */
    checkConnection(from, to) {
      const s = splitEnd(from)
      const t = splitEnd(to)
      const sourceType = this.portType(s.node, s.port, 'out')
      const targetType = this.portType(t.node, t.port, 'in')
      if (s.node === t.node) return { ok: false, reason: 'A node cannot feed itself.', sourceType, targetType }
      if (!sourceType || !targetType) return { ok: false, reason: `Unknown port ${!sourceType ? from : to}.`, sourceType, targetType }
      const ok = accepts(targetType, sourceType)
      const reason = `${from} (${sourceType}) → ${to} (${targetType}): ${compatibilityReason(targetType, sourceType)}`
      return { ok, reason, sourceType, targetType }
    },
    connect(from, to) {
      const check = this.checkConnection(from, to)
      if (!check.ok) return check
      if (this.doc.connections.some((c) => c.from === from && c.to === to)) return check
      this.record()
      this.doc.connections.push({ from, to })
      return check
    },
    updateNode(nodeId, patch) {
      const node = this.node(nodeId)
      if (!node) return
      this.record()
      Object.assign(node, clone(patch))
      for (const [k, v] of Object.entries(patch)) if (v === undefined || v === null) delete node[k]
    },
    setConfig(nodeId, config) {
      const node = this.node(nodeId)
      if (!node || JSON.stringify(node.config || {}) === JSON.stringify(config || {})) return
      this.record()
      if (config && Object.keys(config).length) node.config = clone(config)
      else delete node.config
    },
    renameNode(oldId, newId) {
      newId = String(newId || '').trim()
      if (!newId || newId === oldId) return { ok: true }
      if (!/^[a-zA-Z0-9_-]+$/.test(newId)) return { ok: false, reason: 'A node id is a slug: letters, digits, - and _.' }
      if (this.node(newId)) return { ok: false, reason: `There already is a node '${newId}'.` }
      this.record()
      this.node(oldId).id = newId
      const re = (end) => { const e = splitEnd(end); return e.node === oldId ? `${newId}.${e.port}` : end }
      this.doc.connections = this.doc.connections.map((c) => ({ ...c, from: re(c.from), to: re(c.to) }))
      this.selectedNodes = this.selectedNodes.map((id) => (id === oldId ? newId : id))
      return { ok: true }
    },
    setName(name) { if (name !== this.doc.name) { this.record(); this.doc.name = name } },
    setSettings(settings) {
      if (JSON.stringify(settings) === JSON.stringify(this.doc.settings || {})) return
      this.record()
      this.doc.settings = clone(settings)
    },
    copy(ids = this.selectedNodes) {
      const set = new Set(ids)
      if (!set.size) return 0
      this.clipboard = {
        nodes: clone(this.doc.nodes.filter((n) => set.has(n.id))),
        connections: clone(this.doc.connections.filter((c) => set.has(splitEnd(c.from).node) && set.has(splitEnd(c.to).node))),
      }
      return set.size
    },
    paste(offset = { x: 40, y: 40 }) {
      if (!this.clipboard || !this.clipboard.nodes.length) return []
      this.record()
      const renamed = {}
      const added = []
      for (const n of clone(this.clipboard.nodes)) {
        const id = this.node(n.id) ? this.uniqueId(n.type) : n.id
        renamed[n.id] = id
        n.id = id
        n.position = { x: (n.position?.x || 0) + offset.x, y: (n.position?.y || 0) + offset.y }
        this.doc.nodes.push(n)
        added.push(id)
      }
      for (const c of this.clipboard.connections) {
        const f = splitEnd(c.from)
        const t = splitEnd(c.to)
        this.doc.connections.push({ ...c, from: `${renamed[f.node]}.${f.port}`, to: `${renamed[t.node]}.${t.port}` })
      }
      // a second paste lands further along instead of on top of the first
      this.clipboard.nodes.forEach((n) => { n.position = { x: (n.position?.x || 0) + offset.x, y: (n.position?.y || 0) + offset.y } })
      this.selectedNodes = added
      return added
    },
    toDocument() {
      const doc = clone(this.doc)
      if (this.id) doc.id = this.id
      if (doc.settings && !Object.keys(doc.settings).length) delete doc.settings
      return doc
    },
    setProblems(error) {
      if (error instanceof ApiError) {
        this.problems = error.errors
        this.problemDetail = error.message
      } else {
        this.problems = []
        this.problemDetail = error ? String(error.message || error) : ''
      }
    },
    /** POST (new) or PUT; on 422 the problems land on their nodes and fields and nothing is saved. */
    flushEdits() {
      for (const flush of [...pendingEdits]) flush()
    },
    async save() {
      this.flushEdits()
      this.saving = true
      try {
        const doc = this.toDocument()
        const saved = this.id && this.version
          ? await api.put(`/workflows/${encodeURIComponent(this.id)}`, doc)
          : await api.post('/workflows', doc)
        this.id = saved.id
        this.version = saved.version
        this.dirty = false
        this.problems = []
        this.problemDetail = ''
        return saved
      } catch (e) {
        this.setProblems(e)
        throw e
      } finally {
        this.saving = false
      }
    },
    async validate() {
      this.flushEdits()
      const report = await api.post('/workflows/validate', this.toDocument())
      this.problems = (report && (report.problems || report.errors)) || []
      return report
    },
  },
})

export function edgeId(c) { return `${c.from}->${c.to}` }
