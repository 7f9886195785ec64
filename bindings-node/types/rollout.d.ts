// Typings of the multi-region rollout functions:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  HaltedAt,
  Plan,
  RollbackPlan,
  Schedule,
} from './generated'

/**
 * The multi-region rollout schedule of a plan starting at `start` (RFC 3339):
 * waves of regions with their steps, window waits and gates, then the plan's
 * `rollout.release_stages` (feature flags turned up after the last wave) as
 * `release_stages`. Throws a RollgateError (families plan, calendar, graph;
 * delivery for a release stage's `invalid_percentage`).
 */
export declare function scheduleRollout(plan: Plan, start: string): Schedule

/** What to undo when a rollout halts at a step or a time. */
export declare function rollbackPlan(schedule: Schedule, haltedAt: HaltedAt): RollbackPlan

/** Mermaid Gantt text of a schedule (times in UTC), release stages included. */
export declare function toMermaidGantt(schedule: Schedule): string
