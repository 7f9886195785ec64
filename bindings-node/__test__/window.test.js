// Release-calendar functions from Node: happy paths and every error code.
'use strict'
const { test } = require('node:test')
const assert = require('node:assert/strict')
const rollgate = require('..')

const NY = {
  time_zone: 'America/New_York',
  allow: [{ days: ['mon', 'tue', 'wed', 'thu'], start: '09:00', end: '16:00' }],
  deny: [{ from: '2026-12-20T00:00:00-05:00', to: '2027-01-04T00:00:00-05:00', reason: 'year-end freeze' }],
  holidays: ['2026-11-26'],
}

test('checkWindow allows and denies with reasons', () => {
  const ok = rollgate.checkWindow(NY, '2026-11-24T10:00:00-05:00', '1h')
  assert.equal(ok.allowed, true)
  assert.equal(ok.reasons[0].code, 'inside_allow')
  const frozen = rollgate.checkWindow(NY, '2026-12-21T10:00:00-05:00', 1800)
  assert.equal(frozen.allowed, false)
  assert.deepEqual(frozen.reasons[0].subjects, ['deny/0'])
  assert.ok(frozen.reasons[0].message.includes('year-end freeze'))
  assert.equal(frozen.next_allowed_start, '2027-01-04T09:00:00-05:00')
})

test('nextWindow with default and explicit horizon', () => {
  assert.deepEqual(rollgate.nextWindow(NY, '2026-11-26T10:00:00-05:00', '30m'), {
    start: '2026-11-30T09:00:00-05:00',
    end: '2026-11-30T09:30:00-05:00',
  })
  assert.throws(() => rollgate.nextWindow(NY, '2026-12-20T00:00:00-05:00', '30m', '7d'), (e) => {
    return e.code === 'no_window_within_horizon' && e.path === '' && e.family === 'calendar'
  })
})

for (const [calendar, at, duration, code, path] of [
  [{ time_zone: 'Nowhere/City' }, '2026-01-01T00:00:00Z', '1h', 'invalid_time_zone', '/time_zone'],
  [{ allow: [{ start: '09:00', end: '09:00' }] }, '2026-01-01T00:00:00Z', '1h', 'invalid_window', '/allow/0'],
  [{}, 'yesterday', '1h', 'invalid_timestamp', 'after'],
  [{ holidays: ['2026-13-01'] }, '2026-01-01T00:00:00Z', '1h', 'invalid_timestamp', '/holidays/0'],
  [NY, '2026-01-01T00:00:00Z', '8h', 'window_too_short', 'duration'],
]) {
  test(`calendar error ${code} at ${path}`, () => {
    assert.throws(() => rollgate.nextWindow(calendar, at, duration), (e) => {
      assert.equal(e.code, code, e.message)
      assert.equal(e.path, path)
      assert.equal(e.family, 'calendar')
      return e instanceof Error
    })
  })
}

test('errors inside a calendar are calendar errors (issue 13)', () => {
  const check = (calendar, code, path) =>
    assert.throws(() => rollgate.checkWindow(calendar, '2026-01-01T00:00:00Z', 0), (e) => {
      assert.equal(e.code, code, e.message)
      assert.equal(e.path, path)
      assert.equal(e.family, 'calendar')
      return true
    })
  check({ allow: [{ days: ['someday'], start: '09:00', end: '10:00' }] }, 'invalid_input', '/allow/0/days/0')
  check({ allow: [{ start: '9am', end: '10:00' }] }, 'invalid_window', '/allow/0/start')
  check({ allow: [{ start: '09:00', end: '10:00', colour: 'red' }] }, 'unknown_field', '/allow/0/colour')
})

test('an allow range in the past is no window within the horizon (issue 9)', () => {
  const past = { allow: [{ from: '2025-01-01T00:00:00Z', to: '2025-03-01T00:00:00Z' }] }
  assert.throws(() => rollgate.nextWindow(past, '2026-06-01T00:00:00Z', '1h'), (e) => e.code === 'no_window_within_horizon' && e.path === '')
  const check = rollgate.checkWindow(past, '2026-06-01T00:00:00Z', '1h')
  assert.deepEqual(check.reasons.map((r) => r.code), ['outside_allow'])
  assert.equal(check.next_allowed_start, null)
})

test('too-short reasons carry their numbers as evidence', () => {
  const short = rollgate.checkWindow(NY, '2026-11-24T10:00:00-05:00', '8h').reasons.at(-1)
  assert.equal(short.code, 'window_too_short')
  assert.deepEqual(short.evidence, { duration_seconds: 28800, longest_window_seconds: 25200 })
})
