// Typings of the multi-region rollout functions:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  HaltedAt,
  Plan,
  RollbackPlan,
  Schedule,
} from './generated'

/** The multi-region rollout schedule of a plan starting at `start` (RFC 3339). */
export declare function scheduleRollout(plan: Plan, start: string): Schedule

/** What to undo when a rollout halts at a step or a time. */
export declare function rollbackPlan(schedule: Schedule, haltedAt: HaltedAt): RollbackPlan

/** Mermaid Gantt text of a schedule (times in UTC). */
export declare function toMermaidGantt(schedule: Schedule): string
