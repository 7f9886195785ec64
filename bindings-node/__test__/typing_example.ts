// A typed script against index.d.ts; tests/run checks it with tsc --strict.
import * as rollgate from '..'
import type { Plan, RollgateError } from '..'

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
