// End-to-end test of the portal in headless Chromium (Debian's `chromium`
// package, driven by playwright-core): every page is loaded, its rendered
// content compared with what rollgate itself returns for the same input, no
// console error may occur, no request may leave the portal, and each page is
// saved as a screenshot in $PORTAL_SCREENSHOTS (default: a temporary folder).
'use strict'
const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { chromium } = require('playwright-core')
const rollgate = require('rollgate')
const { build, DEFAULT_START } = require('../server')

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SHOTS = process.env.PORTAL_SCREENSHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'portal-shots-'))
const PLAN = require('../../../../core/examples/data/marketplace.json')
const CANARY = require('../data/canary.json')
const CHANGE = require('../data/change.json')

let app
let base
let context
let profile

before(async () => {
  app = build()
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${app.server.address().port}`
  assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (tests/run installs Debian's chromium package)`)
  profile = fs.mkdtempSync(path.join(os.tmpdir(), 'portal-chromium-'))
  fs.mkdirSync(SHOTS, { recursive: true })
  // launchPersistentContext passes `profile` as a fresh --user-data-dir; headless adds --headless.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1360, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})

after(async () => {
  await context?.close()
  await app?.close()
  if (profile) fs.rmSync(profile, { recursive: true, force: true })
})

/**
 * Opens `url` in a fresh page and records console errors, page errors and
 * every request that goes anywhere but the portal.
 */
async function open(url, expectedStatus = 200) {
  const page = await context.newPage()
  const problems = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && !req.url().startsWith('data:')) problems.push(`left the portal: ${req.url()}`)
  })
  const response = await page.goto(base + url, { waitUntil: 'load' })
  assert.equal(response.status(), expectedStatus, `status of ${url}`)
  return { page, problems }
}

/** The document's own 4xx status is reported by Chromium as a console error; nothing else may be. */
function onlyTheStatus(problems, status) {
  return problems.filter((p) => !p.includes(`the server responded with a status of ${status}`))
}

async function shoot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
}

const texts = (page, selector) => page.locator(selector).allInnerTexts()

test('release plan: waves, rollback order, critical path and the Gantt chart drawn by Mermaid', async () => {
  const order = rollgate.orderServices(PLAN)
  const schedule = rollgate.scheduleRollout(PLAN, DEFAULT_START)
  const { page, problems } = await open('/plan')

  assert.deepEqual(await texts(page, '#waves li.wave'), order.waves.map((w) => w.join(', ')))
  assert.deepEqual(await texts(page, '#rollback li.wave'), order.rollback_waves.map((w) => w.join(', ')))
  assert.match(await page.locator('#critical-path').innerText(), new RegExp(order.critical_path.path.join(' → ')))
  assert.equal(await page.locator('#rollout tbody tr').count(), schedule.waves.length)

  await page.waitForSelector('body[data-gantt="rendered"]', { timeout: 60_000 })
  const gantt = page.locator('#gantt svg')
  assert.equal(await gantt.count(), 1, 'Mermaid drew one SVG')
  const ganttText = await gantt.textContent()
  for (const wave of schedule.waves) assert.ok(ganttText.includes(`Wave ${wave.number}`), `Gantt section of wave ${wave.number}`)
  for (const region of PLAN.regions) assert.ok(ganttText.includes(region.id), `Gantt bar of ${region.id}`)
  assert.ok((await page.locator('#gantt svg rect.task').count()) > PLAN.regions.length, 'task bars drawn')
  assert.equal(await page.locator('#gantt-error').isHidden(), true)

  await shoot(page, 'plan')
  assert.deepEqual(problems, [])
  await page.close()
})

test('canary verdict: decision, per-metric effect and interval, reasons', async () => {
  for (const example of ['regressed', 'healthy']) {
    const verdict = rollgate.judgeCanary(CANARY.config, CANARY.examples[example])
    const { page, problems } = await open(`/canary?example=${example}`)
    assert.equal(await page.locator('#decision strong').innerText(), verdict.decision)
    const rows = page.locator('#metrics tbody tr')
    assert.equal(await rows.count(), Object.keys(verdict.metrics).length)
    for (const [name, m] of Object.entries(verdict.metrics)) {
      const row = await page.locator('#metrics tbody tr', { has: page.locator(`td:text-is("${name}")`) }).innerText()
      assert.ok(row.includes(m.classification), `${name}: classification`)
      assert.ok(row.includes(m.test), `${name}: test`)
      if (m.effect !== null) assert.ok(row.includes(Number(m.effect).toPrecision(3)), `${name}: effect`)
      if (m.ci[0] !== null) assert.ok(row.includes(Number(m.ci[0]).toPrecision(3)), `${name}: interval`)
    }
    assert.deepEqual(
      (await texts(page, '#reasons li.reason')).map((t) => t.split('\n')[0]),
      verdict.reasons.map((r) => (r.subjects ?? r.metrics).length ? `${r.code} ${r.message} ${(r.subjects ?? r.metrics).join(', ')}` : `${r.code} ${r.message}`),
    )
    if (example === 'regressed') {
      assert.equal(verdict.decision, 'rollback')
      await shoot(page, 'canary')
    }
    assert.deepEqual(problems, [])
    await page.close()
  }
})

test("change risk: one bar per contributing factor, governance findings", async () => {
  const plan = PLAN
  const context_ = { calendar: plan.calendars.europe, peak_hours: [{ start_hour: 17, end_hour: 21 }] }
  const risk = rollgate.assessRisk(CHANGE.change, plan, null, CHANGE.history, context_)
  const governance = rollgate.evaluateGovernance(CHANGE.change, CHANGE.policy, risk)
  const { page, problems } = await open('/risk')

  assert.match(await page.locator('#level').innerText(), new RegExp(`Risk ${risk.level}: score ${risk.score}/100`))
  const contributing = risk.factors.filter((f) => f.contribution !== 0)
  assert.ok(contributing.length > 3)
  const bars = page.locator('#factor-chart rect.bar')
  assert.equal(await bars.count(), contributing.length)
  // The largest contribution is drawn first and widest.
  const largest = contributing.reduce((a, b) => (Math.abs(b.contribution) > Math.abs(a.contribution) ? b : a))
  const first = page.locator('#factor-chart g.factor').first()
  assert.equal(await first.getAttribute('data-code'), largest.code)
  const widths = await bars.evaluateAll((rects) => rects.map((r) => r.getBBox().width))
  assert.ok(widths[0] > 0 && widths.every((w) => w <= widths[0] + 1e-6))
  // Bars that raise the risk point right, bars that lower it left.
  assert.equal(await page.locator('#factor-chart rect.raises').count(), contributing.filter((f) => f.contribution > 0).length)

  const governanceText = await page.locator('#governance').innerText()
  assert.ok(governanceText.includes(governance.allowed ? 'Allowed to proceed' : 'Not allowed yet'))
  for (const finding of [...governance.missing, ...governance.violations]) {
    assert.ok(governanceText.includes(finding.message), `finding shown: ${finding.message}`)
  }
  assert.ok(governance.missing.length > 0, 'the example change still misses evidence')

  await shoot(page, 'risk')
  assert.deepEqual(problems, [])
  await page.close()
})

test('errors name the field: a broken example on each page', async () => {
  const cases = [
    ['/plan?example=broken', '/services/1/deploy_duration', 'invalid_duration'],
    ['/risk?example=broken', '/lines_deleted', null],
    ['/canary?example=broken', 'latency_ms', null],
  ]
  for (const [url, field, code] of cases) {
    const { page, problems } = await open(url, 422)
    const alert = await page.locator('#error[role="alert"]').innerText()
    assert.ok(alert.includes(field), `${url}: the message names ${field}: ${alert}`)
    assert.ok((await page.locator('#error-path').innerText()).includes(field))
    if (code) assert.equal(await page.locator('#error-code').innerText(), code)
    if (url.startsWith('/plan')) await shoot(page, 'error')
    assert.deepEqual(onlyTheStatus(problems, 422), [])
    await page.close()
  }
})

test('the plan form: a posted plan with a misspelt field is rejected at that field', async () => {
  const { page, problems } = await open('/plan')
  await page.locator('#try summary').click()
  const plan = { name: 'mine', services: [{ id: 'db' }, { id: 'api', depends_on: ['db'], deploy_duraton: '5m' }] }
  await page.locator('textarea[name="plan"]').fill(JSON.stringify(plan))
  const [response] = await Promise.all([page.waitForNavigation(), page.locator('#try button[type="submit"]').click()])
  assert.equal(response.status(), 422)
  assert.equal(await page.locator('#error-path').innerText(), '/services/1/deploy_duraton')
  assert.match(await page.locator('#error .message').innerText(), /unknown field `deploy_duraton`/)
  assert.deepEqual(onlyTheStatus(problems, 422), [])
  await page.close()
})

test('without a browser: unknown examples are a 404, a non-JSON plan a 400', async () => {
  const missing = await app.inject({ method: 'GET', url: '/canary?example=nope' })
  assert.equal(missing.statusCode, 404)
  assert.match(missing.body, /no example named &quot;nope&quot;/)
  const notJson = await app.inject({ method: 'POST', url: '/plan', payload: { plan: '{nope' } })
  assert.equal(notJson.statusCode, 400)
  assert.match(notJson.body, /the plan is not JSON/)
  const mermaid = await app.inject({ method: 'GET', url: '/vendor/mermaid.min.js' })
  assert.equal(mermaid.statusCode, 200)
  assert.match(mermaid.body.slice(-200), /globalThis\["mermaid"\]/)
})
