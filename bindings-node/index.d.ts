// Public typings of the rollgate Node package. The document types are
// generated from the JSON Schemas into types/generated.d.ts; one file per
// area of the engine under types/ declares its functions. This file
// re-exports them. Checked by tsc in tests/run.
export * from './types/generated'
export * from './types/errors'
export * from './types/graph'
export * from './types/window'
export * from './types/rollout'
export * from './types/verdict'
export * from './types/risk'
export * from './types/release'
export * from './types/environments'
export * from './types/delivery'
