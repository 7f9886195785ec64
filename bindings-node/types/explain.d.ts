/** Why a decision came out as it did: a stable code, a sentence, the ids it names (core/src/explain.rs). */
export interface Reason {
  code: string
  message: string
  /** The ids this reason is about, sorted; empty when it is about the decision as a whole. */
  subjects: string[]
  /** The numbers or values behind the sentence, by name. */
  evidence?: Record<string, unknown>
}
