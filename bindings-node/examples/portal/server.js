// A small release portal over rollgate: a release plan (waves, rollback
// order, critical path, the rollout drawn as a Mermaid Gantt chart), a canary
// verdict and a change's risk with its governance findings.
//
//   npm install && node server.js      # then open http://localhost:3000
//
// Every page is computed by rollgate on request from the bundled example data
// (or from a plan posted in the form on the plan page); an input rollgate
// rejects is shown as its error, naming the field. Mermaid is served from
// this app's own node_modules: the page loads nothing from another host.
'use strict'
const fs = require('node:fs')
const path = require('node:path')
const Fastify = require('fastify')
const rollgate = require('rollgate')
const views = require('./views')

// The release plan of the Rust tour (core/examples/data), shared rather than copied.
const PLAN_FILE = path.join(__dirname, '..', '..', '..', 'core', 'examples', 'data', 'marketplace.json')
const DATA = path.join(__dirname, 'data')
// A Monday morning in New York: the rollout waits for windows and freezes from here.
const DEFAULT_START = '2026-11-30T08:00:00-05:00'

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'))
}

/** The example inputs, and one broken variant per page to show how errors read. */
function loadExamples() {
  const plan = readJson(PLAN_FILE)
  const canary = readJson(path.join(DATA, 'canary.json'))
  const change = readJson(path.join(DATA, 'change.json'))
  const brokenPlan = structuredClone(plan)
  brokenPlan.services[1].deploy_duration = 'ten minutes'
  const brokenCanary = structuredClone(canary.examples.regressed)
  brokenCanary.latency_ms.canary[3] = 'slow'
  const brokenChange = { ...change.change, lines_deleted: -210 }
  return {
    plans: { marketplace: plan, broken: brokenPlan },
    canaries: { ...canary.examples, broken: brokenCanary },
    canaryConfig: canary.config,
    changes: { [change.change.id]: change.change, broken: brokenChange },
    history: change.history,
    policy: change.policy,
  }
}

/** A rollgate error: it names its code, the JSON-pointer path and the input family. */
function isRollgateError(err) {
  return err instanceof Error && err.name === 'RollgateError' && typeof err.code === 'string'
}

function pick(examples, name, fallback) {
  const key = name ?? fallback
  if (!Object.hasOwn(examples, key)) {
    const error = new Error(`no example named "${key}" (try ${Object.keys(examples).join(', ')})`)
    error.statusCode = 404
    throw error
  }
  return { key, value: examples[key] }
}

function planPage(examples, plan, start, source) {
  const order = rollgate.orderServices(plan)
  const schedule = rollgate.scheduleRollout(plan, start)
  const gantt = rollgate.toMermaidGantt(schedule)
  return views.planPage({ plan, order, schedule, gantt, start, source, examples: Object.keys(examples.plans) })
}

/**
 * The portal as a Fastify instance (not yet listening), so that tests can
 * `inject` requests or `listen` on a free port.
 */
function build(options = {}) {
  const app = Fastify({ logger: options.logger ?? false })
  const examples = loadExamples()
  app.register(require('@fastify/formbody'))

  app.setErrorHandler((err, request, reply) => {
    if (isRollgateError(err)) {
      reply.code(422).type('text/html').send(views.errorPage(err, request.url))
      return
    }
    const status = err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500
    if (status === 500) request.log.error(err)
    reply.code(status).type('text/html').send(views.failurePage(status, status === 500 ? 'internal error' : err.message))
  })

  app.get('/', async (request, reply) => {
    reply.type('text/html').send(views.indexPage(examples))
  })

  app.get('/plan', async (request, reply) => {
    const { key, value } = pick(examples.plans, request.query.example, 'marketplace')
    const start = request.query.start ?? DEFAULT_START
    reply.type('text/html').send(planPage(examples, value, start, { example: key }))
  })

  // The form on the plan page posts a plan's JSON text and a start time.
  app.post('/plan', async (request, reply) => {
    const body = request.body ?? {}
    let plan
    try {
      plan = JSON.parse(String(body.plan ?? ''))
    } catch (err) {
      reply.code(400).type('text/html').send(views.failurePage(400, `the plan is not JSON: ${err.message}`))
      return
    }
    const start = String(body.start || DEFAULT_START)
    reply.type('text/html').send(planPage(examples, plan, start, { posted: true }))
  })

  app.get('/canary', async (request, reply) => {
    const { key, value } = pick(examples.canaries, request.query.example, 'regressed')
    const verdict = rollgate.judgeCanary(examples.canaryConfig, value)
    reply.type('text/html').send(views.canaryPage({ verdict, example: key, examples: Object.keys(examples.canaries) }))
  })

  app.get('/risk', async (request, reply) => {
    const ids = Object.keys(examples.changes)
    const { key, value: change } = pick(examples.changes, request.query.example, ids[0])
    const plan = examples.plans.marketplace
    const context = { calendar: plan.calendars.europe, peak_hours: [{ start_hour: 17, end_hour: 21 }] }
    const risk = rollgate.assessRisk(change, plan, null, examples.history, context)
    const governance = rollgate.evaluateGovernance(change, examples.policy, risk)
    reply.type('text/html').send(views.riskPage({ change, risk, governance, example: key, examples: ids }))
  })

  // Mermaid's browser bundle, from this app's node_modules (no CDN).
  const mermaidBundle = require.resolve('mermaid/dist/mermaid.min.js')
  app.get('/vendor/mermaid.min.js', async (request, reply) => {
    reply.type('application/javascript').header('cache-control', 'max-age=3600')
    return fs.createReadStream(mermaidBundle)
  })

  app.get('/portal.css', async (request, reply) => {
    reply.type('text/css').send(views.STYLESHEET)
  })

  return app
}

module.exports = { build, DEFAULT_START }

if (require.main === module) {
  const port = Number(process.env.PORT ?? 3000)
  const host = process.env.HOST ?? '127.0.0.1'
  const app = build({ logger: true })
  app.listen({ port, host }).catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
