'use strict'
// Loads this platform's native addon, `rollgate.<platform>-<arch>[-<abi>].node`
// beside this file (as `napi build --platform` names it). The addon registers
// every function of rollgate::ffi::FUNCTIONS on its exports when it loads;
// index.js re-exports them by name. There is no generated loader: the addon
// has no `#[napi]` items for napi's CLI to write one from, and loading the
// file directly keeps the loader's private markers out of the package.
const fs = require('node:fs')
const path = require('node:path')

/** `gnu` or `musl` on Linux (glibc reports its version), else none. */
function linuxAbi() {
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null
  return report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'
}

function load() {
  const abi = process.platform === 'linux' ? `-${linuxAbi()}` : ''
  const name = `rollgate.${process.platform}-${process.arch}${abi}.node`
  const file = path.join(__dirname, name)
  if (!fs.existsSync(file)) {
    const shipped = fs.readdirSync(__dirname).filter((f) => f.endsWith('.node'))
    throw new Error(
      `rollgate has no native addon for this platform: ${name} is missing ` +
        `(this package has ${shipped.length ? shipped.join(', ') : 'none'}). ` +
        'Build one from the rollgate repository on this platform: cd bindings-node && npm install && npm pack.',
    )
  }
  return require(file)
}

module.exports = load()
