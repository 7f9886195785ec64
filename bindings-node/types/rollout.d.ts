import type { Reason } from './explain'
import type { Duration, Plan } from './graph'
import type { EscalationPolicy } from './release'
import type { CanaryConfig } from './verdict'

/** Rollout tier of a region. */
export type Tier = 'canary' | 'pilot' | 'standard'

/** A deployment target region of a plan. */
export interface Region {
  id: string
  /** Fraction of global traffic, in [0, 1]; all regions add up to at most 1. */
  traffic_share?: number
  tier?: Tier
  /** Paired region: never in the same wave; must name this region back. */
  pair?: string | null
  /** Regions that must finish first. */
  depends_on?: string[]
  /** IANA zone for reported step times (default: the calendar's, else UTC). */
  time_zone?: string | null
  /** Calendar id in the plan's `calendars` (default: the plan's `calendar`). */
  calendar?: string | null
}

export interface OneBox {
  bake_time?: Duration
}

/** How a rollout proceeds; every field optional. */
export interface RolloutPolicy {
  first_wave?: string[] | null
  /** Default 2: wave sizes 1, 2, 4, ... after the first wave. */
  growth_factor?: number
  max_concurrent_regions?: number | null
  max_traffic_per_wave?: number | null
  bake_time?: Duration
  min_bake_samples?: number
  min_gap_between_waves?: Duration
  timeout?: Duration | null
  max_failed_steps?: number
  one_box?: OneBox | null
  /** Drain time of each instance group of a stateful service. */
  drain_time?: Duration
  /** The canary-watch configuration of a release controller (`startRelease`). */
  analysis?: CanaryConfig | null
  /** The escalation policy of a release controller (`startRelease`). */
  escalation?: EscalationPolicy | null
}

/** A service's schema migration. */
export interface Migration {
  phase: 'expand' | 'contract'
  /** Default false: recommend rolling forward. */
  reversible?: boolean
}

export interface WindowWait {
  region: string
  from: string
  until: string
  seconds: number
  /** The calendar's reasons at `from`, then every freeze or holiday that held the region back until `until`. */
  reasons: Reason[]
}

export interface Step {
  service: string
  region: string
  stage: 'one_box' | 'full' | 'contract'
  /** Dependency wave of the service inside the region. */
  layer: number
  start: string
  finish: string
  start_seconds: number
  finish_seconds: number
  migration?: 'expand' | 'contract'
  reversible: boolean
  /** Instance group (1-based) of a stateful service. */
  group?: number
  /** Drain time at the start of the step. */
  drain_seconds?: number
}

export interface Gate {
  bake_seconds: number
  min_bake_samples: number
  /** `alarms_clear`, `health`, `smoke`, and `canary_verdict` for canary waves. */
  checks: string[]
  earliest_pass: string
  earliest_pass_seconds: number
}

export interface Wave {
  number: number
  kind: 'regions' | 'contract'
  regions: string[]
  traffic_share: number
  /** `canary_first`, `first_wave`, `smallest_first`, `growth`, `tier_order`, `region_dependency`, `pair_separated`, `traffic_cap`, `over_traffic_cap`, `concurrency_cap`, `contract_phase`; subjects are regions. */
  reasons: Reason[]
  start: string
  finish: string
  start_seconds: number
  finish_seconds: number
  waits: WindowWait[]
  steps: Step[]
  gate: Gate
}

export interface HaltRule {
  max_failed_steps: number
  step_timeout_seconds: number | null
}

export interface Schedule {
  plan: string
  start: string
  finish: string
  total_duration_seconds: number
  halt_rule: HaltRule
  /** `step_exceeds_timeout`, `zero_deploy_duration`; subjects are services. */
  findings: Reason[]
  waves: Wave[]
}

/** A step that failed, or an RFC 3339 time. */
export type HaltedAt = { region: string; service: string; stage?: 'one_box' | 'full' | 'contract' } | string

export interface UndoStep {
  service: string
  region: string
  stage: string
  wave: number
  state: 'completed' | 'in_flight'
  group?: number
}

export interface RollbackPlan {
  halted_at: string
  recommendation: 'roll_back' | 'roll_forward' | 'nothing_to_undo'
  undo: UndoStep[]
  cannot_undo: UndoStep[]
  not_started: number
  /** `irreversible_migration` (subject: the service), `undo_in_reverse_order`, `nothing_started`. */
  reasons: Reason[]
}

/** The multi-region rollout schedule of a plan starting at `start` (RFC 3339). */
export declare function scheduleRollout(plan: Plan, start: string): Schedule
/** What to undo when a rollout halts at a step or a time. */
export declare function rollbackPlan(schedule: Schedule, haltedAt: HaltedAt): RollbackPlan
/** Mermaid Gantt text of a schedule (times in UTC). */
export declare function toMermaidGantt(schedule: Schedule): string
