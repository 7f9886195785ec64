// index.js names every function the addon exports (for ESM named imports),
// and index.d.ts declares each of them: the three lists cannot drift apart.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const rollgate = require('..')

const root = path.join(__dirname, '..')
const native = require('../addon.js')
const exported = Object.keys(native)
  .filter((k) => typeof native[k] === 'function' && !k.startsWith('_'))
  .sort()

test('index.js names every function of the addon, and only those', () => {
  const source = fs.readFileSync(path.join(root, 'index.js'), 'utf8')
  const named = [...source.matchAll(/^module\.exports\.(\w+) = native\.\1$/gm)].map((m) => m[1]).sort()
  assert.deepEqual(named, exported)
})

test('the typings declare every exported function', () => {
  const typings = fs
    .readdirSync(path.join(root, 'types'))
    .map((f) => fs.readFileSync(path.join(root, 'types', f), 'utf8'))
    .join('\n')
  const declared = [...typings.matchAll(/export declare function (\w+)\(/g)].map((m) => m[1]).sort()
  assert.deepEqual(declared, exported)
})

test('the package exports those functions and nothing else (no __napiBindingTarget)', () => {
  assert.deepEqual(Object.keys(rollgate).sort(), exported)
})
