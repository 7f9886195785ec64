// Typings of the release-calendar functions:
// signatures and doc comments only. The document types come from
// ./generated, generated from core/schema by core/schema/generate.py.
import type {
  CalendarSpec,
  Day,
  Duration,
  WindowCheck,
  WindowSlot,
  WindowSpec,
} from './generated'

export type DayName = Day
export type Window = WindowSpec
export type Calendar = CalendarSpec

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
