// Typings of the dependency-graph functions:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  BlastRadius,
  ParallelSchedule,
  Plan,
  ServiceOrder,
} from './generated'

/** Deployment waves, rollback waves and critical path of a plan. */
export declare function orderServices(plan: Plan): ServiceOrder

/** Transitive dependents of the requested services (default: all). */
export declare function blastRadius(plan: Plan, services?: string[] | null): BlastRadius

/** Schedule with at most `maxParallel` deployments at once. */
export declare function scheduleServices(plan: Plan, maxParallel: number): ParallelSchedule
