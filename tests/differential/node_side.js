// The Node side of tests/differential/run.py: reads the cases (JSON with
// BigInt and non-finite floats tagged) from stdin, runs each through the
// Node package, writes each outcome in the canonical form run.py compares.
'use strict'
const rollgate = require('../../bindings-node')

const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

function fromWire(value) {
  if (Array.isArray(value)) return value.map(fromWire)
  if (value && typeof value === 'object') {
    if (typeof value.$bigint === 'string') return BigInt(value.$bigint)
    if (typeof value.$float === 'string') return Number(value.$float.replace('inf', 'Infinity'))
    const out = {}
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: fromWire(v), enumerable: true, writable: true, configurable: true })
    }
    return out
  }
  return value
}

const view = new DataView(new ArrayBuffer(8))
function bits(x) {
  if (Number.isNaN(x)) return 'nan'
  view.setFloat64(0, x)
  return Array.from(new Uint8Array(view.buffer), (b) => b.toString(16).padStart(2, '0')).join('')
}

function canonical(value) {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value
  if (typeof value === 'number') return `n:${bits(value)}`
  if (typeof value === 'bigint') return `bigint:${value}`
  if (Array.isArray(value)) return value.map(canonical)
  const out = {}
  for (const k of Object.keys(value).sort()) out[k] = canonical(value[k])
  return out
}

function run({ function: name, args }) {
  try {
    return { ok: canonical(rollgate[camel(name)](...fromWire(args))) }
  } catch (e) {
    if (e instanceof Error && typeof e.code === 'string' && e.name === 'RollgateError') {
      return { error: e.code, path: e.path, family: e.family }
    }
    return { exception: e && e.constructor ? e.constructor.name : typeof e }
  }
}

let input = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => { input += chunk })
process.stdin.on('end', () => {
  process.stdout.write(JSON.stringify(JSON.parse(input).map(run)))
})
