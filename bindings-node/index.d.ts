// Public typings of the rollgate Node package. One file per area of the
// engine under types/; this file re-exports them. Checked by tsc in tests/run.
export * from './types/errors'
export * from './types/explain'
export * from './types/graph'
export * from './types/window'
export * from './types/rollout'
export * from './types/verdict'
export * from './types/risk'
export * from './types/release'
export * from './types/environments'
export * from './types/delivery'
