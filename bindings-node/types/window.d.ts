import type { Reason } from './explain'
import type { Duration } from './graph'

/** A day of the week. */
export type DayName =
  | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
  | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'

/**
 * One calendar window: weekly (`days`, `start`, `end` local `HH:MM`; an end
 * not after the start wraps past midnight), absolute (`from`, `to` RFC 3339)
 * or periodic (deny only: `every` with `first_days` or `last_days`).
 */
export interface Window {
  days?: DayName[]
  start?: string
  end?: string
  from?: string
  to?: string
  every?: 'month' | 'quarter' | 'year'
  first_days?: number
  last_days?: number
  /** Why the window exists; quoted in reasons. */
  reason?: string
}

/** A release calendar in an IANA time zone (default `"UTC"`). */
export interface Calendar {
  time_zone?: string
  allow?: Window[]
  deny?: Window[]
  coverage?: Window[]
  /** Whole local days denied, `YYYY-MM-DD`. */
  holidays?: string[]
}

export interface WindowCheck {
  allowed: boolean
  /**
   * The windows that allowed or denied it: codes `no_windows`, `inside_allow`,
   * `outside_allow`, `inside_coverage`, `outside_coverage`, `deny_window`,
   * `holiday`, `window_too_short`; subjects are paths into the calendar
   * (`deny/1`, `holidays/0`).
   */
  reasons: Reason[]
  /** Earliest allowed start at or after the time asked (itself when allowed), or null within 366 days. */
  next_allowed_start: string | null
}

export interface WindowSlot {
  start: string
  end: string
}

/**
 * Whether a deployment of `duration` may start at `at` (RFC 3339) under `calendar`.
 * Throws a calendar-family error (`invalid_time_zone`, `invalid_window`,
 * `invalid_timestamp`, `invalid_input`, `unknown_field`) for a malformed calendar.
 */
export declare function checkWindow(calendar: Calendar, at: string, duration: Duration): WindowCheck
/**
 * Earliest slot at or after `after` where `duration` fits (horizon default 366 days).
 * Throws `window_too_short` when every allowed stretch is shorter than `duration`,
 * `no_window_within_horizon` when deny windows block every slot or nothing is open
 * within the horizon.
 */
export declare function nextWindow(calendar: Calendar, after: string, duration: Duration, horizon?: Duration | null): WindowSlot
