// Smoke test of the rollgate npm package as a user installs it. tests/run
// copies this file into a scratch project in which `npm install
// rollgate-X.Y.Z.tgz` was done, so that `require` and `import` resolve
// 'rollgate' as they would for a user:
//
//   node node_smoke.js SOURCE_PACKAGE_DIR
//
// Checks what the tarball shipped (every typing file of SOURCE/types, every
// JSON Schema of SOURCE/schema, the entry points, exactly one release
// `.node` and nothing else), what
// `require('rollgate')` and `import('rollgate')` export (the declared
// functions, nothing else: no `__napiBindingTarget`), and that a call and an
// error work as documented.
'use strict'
const assert = require('node:assert/strict')
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const source = path.resolve(process.argv[2] ?? '')
assert.ok(fs.existsSync(path.join(source, 'package.json')), `usage: node node_smoke.js SOURCE_PACKAGE_DIR (got ${source})`)

// Resolved from the scratch project's node_modules, not from the source tree.
const installed = path.dirname(require.resolve('rollgate/package.json'))
assert.ok(!installed.startsWith(source + path.sep), `rollgate resolved to the source tree: ${installed}`)
const rollgate = require('rollgate')
// A debug build of the addon is ~64 MB; the stripped release build a few MB.
const MAX_NODE_BYTES = 20 * 1024 * 1024

function walk(dir, prefix = '') {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  )
}

// 1. The files: entry points, every typing file, the schemas, one addon, nothing else.
const files = walk(installed).sort()
const typings = walk(path.join(source, 'types')).map((f) => `types/${f}`)
const schemas = walk(path.join(source, 'schema')).map((f) => `schema/${f}`)
assert.ok(schemas.includes('schema/index.json') && schemas.includes('schema/plan.json'), 'the JSON Schemas are there')
const addons = files.filter((f) => f.endsWith('.node'))
assert.deepEqual(addons, ['rollgate.linux-x64-gnu.node'], 'exactly one addon, for linux x64 glibc')
const expected = ['addon.js', 'index.d.ts', 'index.js', 'package.json', ...typings, ...schemas, ...addons].sort()
assert.deepEqual(files, expected, 'the tarball ships exactly the entry points, the typings, the schemas and the addon')

const addon = path.join(installed, addons[0])
const addonBytes = fs.statSync(addon).size
assert.ok(addonBytes < MAX_NODE_BYTES, `${addons[0]} is ${addonBytes} bytes: a debug build?`)
let readelf = null
try {
  readelf = execFileSync('readelf', ['-S', '-W', addon], { encoding: 'utf8' })
} catch (err) {
  if (err.code !== 'ENOENT') throw err
}
if (readelf !== null) assert.ok(!readelf.includes('.debug_info'), `${addons[0]} carries DWARF debug information`)

// 2. The exports: the functions the installed typings declare, nothing else.
const declared = typings
  .flatMap((f) => [...fs.readFileSync(path.join(installed, f), 'utf8').matchAll(/export declare function (\w+)\(/g)])
  .map((m) => m[1])
  .sort()
assert.ok(declared.length > 20, 'the typings declare the functions')
assert.deepEqual(Object.keys(rollgate).sort(), declared, 'require("rollgate") exports exactly the declared functions')
for (const name of declared) assert.equal(typeof rollgate[name], 'function', name)
assert.equal('__napiBindingTarget' in rollgate, false)

const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'))
assert.equal(pkg.version, JSON.parse(fs.readFileSync(path.join(source, 'package.json'), 'utf8')).version)

async function main() {
  const esm = await import('rollgate')
  const named = Object.keys(esm)
    .filter((k) => k !== 'default' && k !== 'module.exports')
    .sort()
  assert.deepEqual(named, declared, 'ESM named imports: exactly the declared functions')

  // 3. Behaviour: a call and an error, as the README shows them.
  const plan = {
    name: 'checkout',
    services: [
      { id: 'postgres', deploy_duration: '10m', stateful: true },
      { id: 'payments', depends_on: ['postgres'], deploy_duration: '4m' },
    ],
  }
  assert.deepEqual(rollgate.orderServices(plan).waves, [['postgres'], ['payments']])
  assert.equal(esm.orderServices, rollgate.orderServices)
  assert.throws(
    () => rollgate.orderServices({ name: 'bad', services: [{ id: 'a', depends_on: ['a'] }] }),
    (err) => err.name === 'RollgateError' && err.code === 'self_dependency' && err.path === '/services/0/depends_on/0',
  )
  console.log(
    `rollgate ${pkg.version} from ${path.relative(process.cwd(), installed)}: ${files.length} files, ` +
      `${declared.length} functions, addon ${(addonBytes / 1e6).toFixed(1)} MB`,
  )
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
