// Runs the shared cross-language vectors (tests/vectors/*.json) through the Node API.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const rollgate = require('..')

const dir = path.join(__dirname, '..', '..', 'tests', 'vectors')
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase())

// Numbers within `tol`, lists of equal length, objects holding every expected
// key — and, when `exact`, no other.
function match(expected, actual, tol, at = '', exact = false) {
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number') {
      assert.equal(typeof actual, 'number', `${at}: expected ${expected}, got ${JSON.stringify(actual)}`)
      const scale = Math.max(Math.abs(expected), Math.abs(actual))
      const ok = expected === actual || Math.abs(expected - actual) <= tol * scale || scale < 1e-300
      assert.ok(ok, `${at}: expected ${expected}, got ${actual}`)
    } else {
      assert.equal(actual, expected, `${at}`)
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected a list, got ${JSON.stringify(actual)}`)
    assert.equal(actual.length, expected.length, `${at}: expected ${expected.length} items, got ${actual.length}`)
    expected.forEach((e, i) => match(e, actual[i], tol, `${at}/${i}`, exact))
  } else {
    assert.ok(actual && typeof actual === 'object', `${at}: expected an object, got ${JSON.stringify(actual)}`)
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(k in actual, `${at}/${k}: missing in ${JSON.stringify(actual)}`)
      match(v, actual[k], tol, `${at}/${k}`, exact)
    }
    if (exact) {
      const extra = Object.keys(actual).filter((k) => !(k in expected)).sort()
      assert.equal(extra.length, 0, `${at}/${extra[0]}: not in the expected value`)
    }
  }
}

const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
let total = 0
for (const file of files) {
  const doc = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'))
  const { cases } = doc
  for (const c of cases) {
    total += 1
    // A case the binding cannot read faithfully yet names the issue.
    const skip = c.pending && c.pending.node
    test(`${file}: ${c.name}`, { skip }, () => {
      const fn = rollgate[camel(c.function)]
      assert.equal(typeof fn, 'function', `rollgate.${camel(c.function)} is not exported`)
      const tol = c.tolerance ?? 1e-9
      if ('error_code' in c) {
        let thrown
        try {
          fn(...c.input)
        } catch (e) {
          thrown = e
        }
        assert.ok(thrown instanceof Error, `expected error ${c.error_code}, got a result`)
        assert.equal(thrown.code, c.error_code, thrown.message)
        if ('error_path' in c) assert.equal(thrown.path, c.error_path, thrown.message)
        if ('error_fields' in c) match(c.error_fields, thrown, tol)
      } else {
        match(c.expected, fn(...c.input), tol, '', c.exact ?? doc.exact ?? false)
      }
    })
  }
}

test('at least 25 vectors', () => assert.ok(total >= 25))
