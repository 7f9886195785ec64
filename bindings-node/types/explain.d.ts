/**
 * The one reason shape every rollgate decision explains itself with
 * (`rollgate::explain::Reason`); the codes are listed per module in the Rust
 * docs of `rollgate::explain`.
 */
export interface Reason {
  /** Stable machine code, e.g. `deny_window`. */
  code: string
  /** A human sentence. */
  message: string
  /** The ids the reason is about (regions, services, window paths, ...), sorted. */
  subjects: string[]
  /** The numbers or values behind the sentence, by name (absent when none). */
  evidence?: Record<string, unknown>
}
