// Typings of the release controller: startRelease, advanceRelease, renderNotification, evaluateReleaseReadiness:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  Change,
  Plan,
  ReadinessContext,
  ReleaseEvent,
  ReleaseOptions,
  ReleaseReadiness,
  ReleaseState,
  ReleaseUpdate,
} from './generated'

/** Starts a release: the stored state to pass to `advanceRelease`. */
export declare function startRelease(plan: Plan, start: string, options?: ReleaseOptions | null): ReleaseState

/**
 * Applies the events since the last call and decides at `now`. Throws
 * `invalid_event`, `incompatible_state` (family `release`), `unknown_step`,
 * `invalid_timestamp`.
 */
export declare function advanceRelease(
  plan: Plan,
  state: ReleaseState,
  events: ReleaseEvent[],
  now: string,
): ReleaseUpdate

/** Fills `incident`, `downtime` or a template text; throws `unknown_placeholder` naming a placeholder without a value. */
export declare function renderNotification(template: string, context: Record<string, unknown>): string

/** Go, go with conditions or no go before a release starts. */
export declare function evaluateReleaseReadiness(
  plan: Plan,
  change: Change,
  context?: ReadinessContext | null,
): ReleaseReadiness
