import type { Reason } from './explain'
import type { Plan } from './graph'

export type DeploymentStatus = 'succeeded' | 'failed' | 'rolled_back'
export type GroupBy = 'none' | 'service' | 'team'
export type SeriesPeriod = 'week' | 'month'
export type DoraTier = 'elite' | 'high' | 'medium' | 'low'
export type DoraMetric = 'lead_time' | 'deployment_frequency' | 'change_fail_rate' | 'recovery_time'
export type FrequencyBucket = 'daily' | 'weekly' | 'monthly' | 'yearly'

export interface Commit {
  sha: string
  /** RFC 3339 with offset; not after the deployment finished. */
  committed_at: string
}

/** One deployment of one service to one environment. */
export interface Deployment {
  id: string
  service: string
  /** Default `production`. */
  environment?: string
  started_at: string
  finished_at: string
  status: DeploymentStatus
  commits?: Commit[]
  /** Ids of the incidents it remediates (rework). */
  remediates?: string[]
}

export interface Incident {
  id: string
  created_at: string
  resolved_at?: string
  /** Ids of deployments among those given. */
  caused_by?: string[]
  severity?: string
}

export interface DoraOptions {
  from?: string
  to?: string
  environment?: string
  group_by?: GroupBy
  series?: SeriesPeriod
  /** 2022, 2023 or 2024 (default the latest). */
  report_year?: number
}

export interface TierRating {
  metric: DoraMetric
  /** Seconds, deployments per day, or a 0–1 rate. */
  value: number
  tier: DoraTier
  range: string
  next_tier?: DoraTier
  target?: number
  gap?: number
}

export interface DeploymentCounts {
  total: number
  succeeded: number
  failed: number
  rolled_back: number
}

export interface LeadTime {
  commits: number
  median_seconds: number | null
  p90_seconds: number | null
}

export interface DeploymentFrequency {
  deployments: number
  days: number
  per_day: number | null
  per_week: number | null
  bucket: FrequencyBucket | null
}

export interface ChangeFailRate {
  deployments: number
  failures: number
  rate: number | null
}

export interface Recovery {
  incidents: number
  resolved: number
  median_seconds: number | null
  failed_deployments: number
  restored: number
  median_restore_seconds: number | null
}

export interface Rework {
  deployments: number
  rework: number
  rate: number | null
}

export interface DoraTiers {
  report_year: number
  lead_time: TierRating | null
  deployment_frequency: TierRating | null
  change_fail_rate: TierRating | null
  recovery_time: TierRating | null
  overall: DoraTier | null
}

export interface DeliveryMetrics {
  deployments: DeploymentCounts
  lead_time: LeadTime
  deployment_frequency: DeploymentFrequency
  change_fail_rate: ChangeFailRate
  recovery: Recovery
  rework: Rework
  tiers: DoraTiers
  reasons: Reason[]
}

export interface SeriesBucket {
  start: string
  end: string
  metrics: DeliveryMetrics
}

export interface GroupMetrics {
  group: string
  services: string[]
  metrics: DeliveryMetrics
  series: SeriesBucket[]
}

export interface DoraReport {
  environment: string
  from: string | null
  to: string | null
  group_by: GroupBy
  totals: DeliveryMetrics
  series: SeriesBucket[]
  groups: GroupMetrics[]
  reasons: Reason[]
}

export type MaturityArea =
  | 'release_strategy'
  | 'pipeline'
  | 'environments'
  | 'deployment_automation'
  | 'observability'
  | 'governance'
  | 'incident_response'
  | 'continuous_improvement'

export interface NextPractice {
  practice: string
  level: number
  description: string
  /** rollgate functions that support the practice (empty where none does). */
  supported_by: string[]
}

export interface AreaMaturity {
  area: MaturityArea
  level: number
  name: string
  evidence: Reason[]
  next_practices: NextPractice[]
}

export interface MaturityAssessment {
  areas: AreaMaturity[]
  reasons: Reason[]
}

export type FlagAlgorithm = 'unleash' | 'flagd'

export interface FlagVariant {
  name: string
  /** Default 1. */
  weight?: number
}

export interface Flag {
  key: string
  algorithm?: FlagAlgorithm
  /** A whole number 0–100 (default 100). */
  percentage?: number
  /** Unleash only; default the key. */
  group_id?: string
  variants?: FlagVariant[]
}

export interface FlagDecision {
  flag: string
  unit_id: string
  enabled: boolean
  variant: string | null
  bucket: number
  reasons: Reason[]
}

export interface PopulationCount {
  count: number
  /** Default 10,000; at most 10,000,000. */
  sample?: number
  seed?: number
}

export interface Exposure {
  units: number
  share: number
  expected_share: number
  interval: [number, number] | null
  unit_ids: string[]
}

export interface VariantExposure {
  variant: string
  exposure: Exposure
}

export interface FlagExposure {
  flag: string
  algorithm: FlagAlgorithm
  population: number
  sampled: number
  exact: boolean
  enabled: Exposure
  disabled: Exposure
  variants: VariantExposure[]
  reasons: Reason[]
}

/** DORA keys and rework rate, in total, per service or team and per week or month, with tiers. */
export declare function doraMetrics(
  deployments: Deployment[],
  incidents: Incident[],
  options?: DoraOptions | null,
  plan?: Plan | null,
): DoraReport
/** Maturity level 1–5 per practice area, with evidence and the next practices. */
export declare function assessMaturity(
  metrics: DeliveryMetrics | null | undefined,
  practices: Record<string, boolean>,
): MaturityAssessment
/** Unleash's normalised value (1–100) or flagd's bucket (0–99). */
export declare function flagBucket(flagKey: string, unitId: string, algorithm?: FlagAlgorithm | null): number
/** Whether a unit gets a flag and which variant, exactly as Unleash or flagd decides. */
export declare function flagEnabled(flag: Flag, unitId: string): FlagDecision
/** How many units of a population see a flag and each variant. */
export declare function flagExposure(flag: Flag, population: string[] | PopulationCount): FlagExposure
