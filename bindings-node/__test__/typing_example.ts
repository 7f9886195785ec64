// A typed script against index.d.ts; tests/run checks it with tsc --strict.
import * as rollgate from '..'
import type { Calendar, Plan, RollgateError } from '..'

const plan: Plan = {
  name: 'shop',
  services: [
    { id: 'db', deploy_duration: '10m', stateful: true },
    { id: 'api', depends_on: ['db'], deploy_duration: 300 },
  ],
}

const order = rollgate.orderServices(plan)
const path: string[] = order.critical_path.path
const radius = rollgate.blastRadius(plan, ['db'])
const count: number = radius.services[0].dependent_count
const schedule = rollgate.scheduleServices(plan, 2)
const makespan: number = schedule.makespan_seconds

try {
  rollgate.orderServices({ name: 'bad', services: [{ id: 'a', depends_on: ['a'] }] })
} catch (e) {
  const err = e as RollgateError
  const code: string = err.code
  void code
}
void path
void count
void makespan

const calendar: Calendar = {
  time_zone: 'Europe/Berlin',
  allow: [{ days: ['mon', 'tue'], start: '09:00', end: '16:00' }],
  deny: [{ from: '2026-12-20T00:00:00+01:00', to: '2027-01-04T00:00:00+01:00' }],
  holidays: ['2026-12-25'],
}
const check = rollgate.checkWindow(calendar, '2026-11-24T10:00:00+01:00', '1h')
const allowed: boolean = check.allowed
const next: string | null = check.next_allowed_start
const slot = rollgate.nextWindow(calendar, '2026-11-24T10:00:00+01:00', 600, '30d')
const slotStart: string = slot.start
void allowed
void next
void slotStart

const rolloutPlan: Plan = {
  name: 'shop',
  services: [{ id: 'api', deploy_duration: '5m', migration: { phase: 'expand', reversible: true } }],
  regions: [{ id: 'eu', tier: 'canary', traffic_share: 0.1 }, { id: 'us', traffic_share: 0.9 }],
  rollout: { bake_time: '1h', max_concurrent_regions: 2 },
  calendars: { biz: { time_zone: 'UTC', allow: [{ start: '09:00', end: '17:00' }] } },
  calendar: 'biz',
}
const rolloutSchedule = rollgate.scheduleRollout(rolloutPlan, '2026-11-24T09:00:00Z')
const firstStart: string = rolloutSchedule.waves[0].steps[0].start
const rollback = rollgate.rollbackPlan(rolloutSchedule, { region: 'us', service: 'api' })
const recommendation: 'roll_back' | 'roll_forward' | 'nothing_to_undo' = rollback.recommendation
const gantt: string = rollgate.toMermaidGantt(rolloutSchedule)
void firstStart
void recommendation
void gantt
