import type { Migration, Region, RolloutPolicy } from './rollout'
import type { Calendar } from './window'

/** Seconds as a number, or a human string such as `"90s"` or `"1h30m"`. */
export type Duration = string | number

/** One deployable service of a plan. */
export interface Service {
  /** Unique, non-empty id. */
  id: string
  /** Ids of the services that must be deployed before this one. */
  depends_on?: string[]
  /** How long one deployment takes (default 0). */
  deploy_duration?: Duration
  /** Whether the service holds state. */
  stateful?: boolean
  /** Whether customers talk to it directly. */
  customer_facing?: boolean
  /** Owning team or person. */
  owner?: string | null
  /** Free-form labels. */
  tags?: string[]
  /** The schema migration this service performs, if any. */
  migration?: Migration | null
  /** Stateful services: instance groups rolled one at a time, each drained first (default 1). */
  instance_groups?: number | null
}

/** A release plan: services and their dependencies. */
export interface Plan {
  name: string
  services: Service[]
  /** Regions to roll out to (needed by `scheduleRollout`). */
  regions?: Region[]
  /** How to roll out across regions. */
  rollout?: RolloutPolicy | null
  /** Named release calendars that regions refer to by id. */
  calendars?: Record<string, Calendar>
  /** Calendar id for regions that name none. */
  calendar?: string | null
}

/** Timing of one service with unlimited parallelism, in seconds from the start. */
export interface ServiceTiming {
  id: string
  earliest_start: number
  earliest_finish: number
  latest_start: number
  latest_finish: number
  slack: number
}

export interface CriticalPath {
  /** Time until the last service finishes, in seconds. */
  makespan_seconds: number
  /** The chain of services whose durations add up to the makespan. */
  path: string[]
  /** Every service's timing, by earliest start then id. */
  services: ServiceTiming[]
}

export interface ServiceOrder {
  /** Parallel deployment waves, ids sorted within each. */
  waves: string[][]
  /** Rollback waves: dependents before what they depend on. */
  rollback_waves: string[][]
  critical_path: CriticalPath
}

export interface ServiceBlast {
  id: string
  /** Every service that transitively depends on it, sorted. */
  dependents: string[]
  dependent_count: number
  customer_facing_dependents: number
  customer_facing: boolean
}

export interface BlastRadius {
  services: ServiceBlast[]
}

export interface ScheduledService {
  id: string
  start: number
  finish: number
}

export interface ParallelSchedule {
  max_parallel: number
  makespan_seconds: number
  services: ScheduledService[]
}

/** Deployment waves, rollback waves and critical path of a plan. */
export declare function orderServices(plan: Plan): ServiceOrder
/** Transitive dependents of the requested services (default: all). */
export declare function blastRadius(plan: Plan, services?: string[] | null): BlastRadius
/** Schedule with at most `maxParallel` deployments at once. */
export declare function scheduleServices(plan: Plan, maxParallel: number): ParallelSchedule
