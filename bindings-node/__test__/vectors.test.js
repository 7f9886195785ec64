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

// A case with "scenario" in place of function/input drives a release:
// {plan, start, options?, calls: [{events, now, expected | error_code, error_path?}]}.
// The release is started, each call gets the state the previous one returned
// (a failed call keeps it), and `expected` is matched against
// {status, actions, reason_codes} of the result (the codes of its reasons).
function scenario(s, exact) {
  let state = rollgate.startRelease(s.plan, s.start, s.options ?? null)
  s.calls.forEach((call, i) => {
    if ('error_code' in call) {
      let thrown
      try {
        rollgate.advanceRelease(s.plan, state, call.events, call.now)
      } catch (e) {
        thrown = e
      }
      assert.ok(thrown instanceof Error, `call ${i}: expected error ${call.error_code}, got a result`)
      assert.equal(thrown.code, call.error_code, `call ${i}: ${thrown.message}`)
      if ('error_path' in call) assert.equal(thrown.path, call.error_path, `call ${i}: ${thrown.message}`)
      return
    }
    const result = rollgate.advanceRelease(s.plan, state, call.events, call.now)
    const actual = { status: result.status, actions: result.actions, reason_codes: result.reasons.map((r) => r.code) }
    match(call.expected, actual, 1e-9, `call ${i}`, exact)
    state = result.state
  })
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
      if (c.scenario) {
        scenario(c.scenario, c.exact ?? doc.exact ?? false)
        return
      }
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
