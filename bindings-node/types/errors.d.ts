/**
 * Every error thrown by rollgate is an `Error` with these properties. `code`
 * is stable and identical in Rust, Python and Node; `path` is a JSON pointer
 * to the offending value (a path starting with a parameter name, such as
 * `services/1` or `max_parallel`, points into that argument). Every
 * structured detail of the error (e.g. `cycle` for `dependency_cycle`) is a
 * property too.
 */
export interface RollgateError extends Error {
  name: 'RollgateError'
  /** Stable machine-readable code, e.g. `"dependency_cycle"`. */
  code: string
  /** JSON pointer to the offending value (`""` is the whole input). */
  path: string
  /**
   * The kind of input at fault: `"plan"`, `"calendar"`, `"canary"`,
   * `"change"`, `"release"`, `"environment"`, `"delivery"`, or `"internal"` for `internal_error` (a failure inside
   * rollgate, caught instead of aborting the process; please report it).
   */
  family: string
  /**
   * The caller's own exception, when reading an argument ran code that threw
   * (a getter, a Proxy trap); the error is then `invalid_input` at its path.
   */
  cause?: unknown
  /** For `dependency_cycle`: one cycle, starting and ending with the same id. */
  cycle?: string[]
  /** For `dependency_cycle`: every id caught in a cycle, sorted. */
  members?: string[]
  [detail: string]: unknown
}
