// HTML of the portal's pages, rendered on the server from rollgate's results.
// Plain template strings: every value from an input goes through `esc`.
'use strict'

const esc = (value) =>
  String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')

/** Seconds as `1h 04m` (or `45s` under a minute). */
function duration(seconds) {
  if (seconds < 60) return `${seconds}s`
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m`
}

/** An RFC 3339 time as `2026-11-30 08:00 -05:00`. */
function time(stamp) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2})?(Z|[+-]\d{2}:\d{2})$/.exec(stamp)
  return m ? `${m[1]} ${m[2]} ${m[3] === 'Z' ? 'UTC' : m[3]}` : stamp
}

const percent = (share) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`
const number = (x, digits = 3) => (x === null || x === undefined ? '–' : Number(x).toPrecision(digits))

/** One reason in rollgate's shared shape `{code, message, subjects, evidence?}`. */
function reason(r) {
  // Canary verdict reasons name their metrics (`metrics`) until they move to `subjects`.
  const subjects = r.subjects ?? r.metrics ?? []
  const evidence = r.evidence
    ? `<span class="evidence">${Object.entries(r.evidence)
        .map(([k, v]) => `${esc(k)}=${esc(typeof v === 'object' ? JSON.stringify(v) : v)}`)
        .join(', ')}</span>`
    : ''
  const names = subjects.length ? ` <span class="subjects">${subjects.map(esc).join(', ')}</span>` : ''
  return `<li class="reason"><code>${esc(r.code)}</code> ${esc(r.message)}${names}${evidence}</li>`
}

const reasons = (list, empty = 'none') =>
  list.length ? `<ul class="reasons">${list.map(reason).join('')}</ul>` : `<p class="none">${esc(empty)}</p>`

function layout(title, active, body, scripts = '') {
  const nav = [
    ['/plan', 'Release plan'],
    ['/canary', 'Canary verdict'],
    ['/risk', 'Change risk'],
  ]
    .map(([href, label]) => `<a href="${href}"${href === active ? ' aria-current="page"' : ''}>${label}</a>`)
    .join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · rollgate portal</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/portal.css">
</head>
<body>
<header><strong>rollgate portal</strong><nav>${nav}</nav></header>
<main>
${body}
</main>
${scripts}
</body>
</html>
`
}

function switcher(path, names, current) {
  const links = names.map((n) =>
    n === current ? `<strong>${esc(n)}</strong>` : `<a href="${path}?example=${encodeURIComponent(n)}">${esc(n)}</a>`,
  )
  return `<p class="examples">Examples: ${links.join(' · ')}</p>`
}

function indexPage(examples) {
  const body = `<h1>rollgate portal</h1>
<ul>
<li><a href="/plan">Release plan</a>: waves, rollback order, critical path and the rollout as a Gantt chart (${esc(examples.plans.marketplace.name)}).</li>
<li><a href="/canary">Canary verdict</a>: the decision, each metric's effect and interval, and the reasons.</li>
<li><a href="/risk">Change risk</a>: what drives a change's risk, and what governance still requires.</li>
</ul>`
  return layout('Home', '/', body)
}

/** The chart shows a planned rollout: Mermaid's line at the viewer's today would only distract. */
const withoutTodayMarker = (gantt) => gantt.replace(/^gantt\n/, 'gantt\n    todayMarker off\n')

function planPage({ plan, order, schedule, gantt, start, source, examples }) {
  let cumulative = 0
  const rolloutRows = schedule.waves
    .map((w) => {
      // The contract phase revisits regions already serving the release: no new traffic.
      const contract = w.kind === 'contract'
      if (!contract) cumulative += w.traffic_share
      const waits = w.waits.map((x) => `${esc(x.region)} ${duration(x.seconds)}`).join(', ')
      const regions = `${contract ? 'contract migrations: ' : ''}${w.regions.map(esc).join(', ')}`
      return `<tr><td>${w.number}</td><td>${regions}</td>
<td class="num">${contract ? '–' : percent(w.traffic_share)}</td><td class="num">${contract ? '–' : percent(cumulative)}</td>
<td>${esc(time(w.start))}</td><td>${esc(time(w.finish))}</td><td>${waits || '–'}</td>
<td>${w.reasons.map((r) => `<code title="${esc(r.message)}">${esc(r.code)}</code>`).join(' ')}</td></tr>`
    })
    .join('\n')
  const cp = order.critical_path
  const cpRows = cp.services
    .map(
      (s) =>
        `<tr${cp.path.includes(s.id) ? ' class="critical"' : ''}><td>${esc(s.id)}</td><td class="num">${duration(s.earliest_start)}</td><td class="num">${duration(s.earliest_finish)}</td><td class="num">${duration(s.slack)}</td></tr>`,
    )
    .join('\n')
  const origin = source.posted ? '<p class="examples">Your posted plan.</p>' : switcher('/plan', examples, source.example)
  const body = `<h1>Release plan <code>${esc(plan.name)}</code></h1>
${origin}
<p class="summary">${order.waves.flat().length} services in ${order.waves.length} waves ·
rollout of ${(plan.regions ?? []).length} regions from ${esc(time(schedule.start))} to ${esc(time(schedule.finish))}
(${duration(schedule.total_duration_seconds)})</p>
<div class="columns">
<section id="waves"><h2>Deployment waves</h2><p class="hint">Each wave deploys in parallel, after the one before.</p>
<ol>${order.waves.map((w) => `<li class="wave">${w.map(esc).join(', ')}</li>`).join('')}</ol></section>
<section id="rollback"><h2>Rollback order</h2><p class="hint">Dependents first.</p>
<ol>${order.rollback_waves.map((w) => `<li class="wave">${w.map(esc).join(', ')}</li>`).join('')}</ol></section>
<section id="critical-path"><h2>Critical path</h2>
<p><strong>${duration(cp.makespan_seconds)}</strong> with unlimited parallelism: ${cp.path.map(esc).join(' → ')}</p>
<table><thead><tr><th>service</th><th>earliest start</th><th>earliest finish</th><th>slack</th></tr></thead>
<tbody>${cpRows}</tbody></table></section>
</div>
<section id="rollout"><h2>Rollout schedule</h2>
<table><thead><tr><th>wave</th><th>regions</th><th>traffic (wave)</th><th>traffic (cumulative)</th><th>start</th><th>finish</th><th>window waits</th><th>why these regions</th></tr></thead>
<tbody>${rolloutRows}</tbody></table>
<h3>Gantt chart</h3>
<pre class="mermaid" id="gantt">${esc(withoutTodayMarker(gantt))}</pre>
<p id="gantt-error" class="error" hidden></p>
<h3>Findings</h3>
${reasons(schedule.findings)}
</section>
<section id="try"><details><summary>Try your own plan</summary>
<form method="post" action="/plan">
<label>Start (RFC 3339) <input name="start" value="${esc(start)}"></label>
<label>Plan (JSON) <textarea name="plan" rows="16" spellcheck="false">${esc(JSON.stringify(plan, null, 2))}</textarea></label>
<button type="submit">Schedule</button>
</form></details></section>`
  const scripts = `<script src="/vendor/mermaid.min.js"></script>
<script>
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'neutral' })
mermaid.run({ querySelector: '#gantt' }).then(
  () => { document.body.dataset.gantt = 'rendered' },
  (err) => {
    document.body.dataset.gantt = 'failed'
    const box = document.getElementById('gantt-error')
    box.hidden = false
    box.textContent = 'The Gantt chart could not be drawn: ' + err
    console.error(err)
  },
)
</script>`
  return layout(`Plan ${plan.name}`, '/plan', body, scripts)
}

function interval([lo, hi]) {
  if (lo === null && hi === null) return '–'
  if (hi === null) return `≥ ${number(lo)}`
  if (lo === null) return `≤ ${number(hi)}`
  return `[${number(lo)}, ${number(hi)}]`
}

function canaryPage({ verdict, example, examples }) {
  const rows = Object.entries(verdict.metrics)
    .map(([name, m]) => {
      const why = typeof m.reason === 'string' ? m.reason : m.reason.message
      return `<tr class="${esc(m.classification)}"><td>${esc(name)}</td><td>${esc(m.classification)}${m.critical ? ' (critical)' : ''}</td>
<td>${esc(m.test)}</td><td class="num">${number(m.effect)} <span class="unit">${esc(m.effect_kind)}</span></td>
<td class="num">${interval(m.ci)}</td><td class="num">${number(m.p_value)}</td><td class="num">${number(m.adjusted_p_value)}</td>
<td class="num">${number(m.effect_ratio)}</td><td>${esc(why)}</td></tr>`
    })
    .join('\n')
  const body = `<h1>Canary verdict</h1>
${switcher('/canary', examples, example)}
<p id="decision" class="decision ${esc(verdict.decision)}">Decision: <strong>${esc(verdict.decision)}</strong></p>
<p class="summary">Score ${number(verdict.score, 4)} (pass at ${verdict.thresholds.pass}, marginal at ${verdict.thresholds.marginal})${
    verdict.score_forced_to_zero ? ` · forced to 0: ${esc(verdict.score_forced_to_zero)}` : ''
  }</p>
<section id="reasons"><h2>Reasons</h2>${reasons(verdict.reasons)}</section>
<section id="metrics"><h2>Metrics</h2>
<table><thead><tr><th>metric</th><th>classification</th><th>test</th><th>effect</th><th>interval (one-sided, harmful direction)</th><th>p</th><th>adjusted p</th><th>canary/baseline</th><th>reason</th></tr></thead>
<tbody>${rows}</tbody></table></section>`
  return layout('Canary verdict', '/canary', body)
}

/** Horizontal bars of the factors' log-odds contributions around a zero axis. */
function contributionChart(factors) {
  const shown = factors.filter((f) => f.contribution !== 0).sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
  const largest = Math.max(...shown.map((f) => Math.abs(f.contribution)), 1e-9)
  const row = 26
  const label = 210
  const half = 260
  const width = label + 2 * half + 70
  const height = shown.length * row + 30
  const axis = label + half
  const bars = shown
    .map((f, i) => {
      const y = 10 + i * row
      const w = (Math.abs(f.contribution) / largest) * half
      const x = f.contribution > 0 ? axis : axis - w
      const cls = f.contribution > 0 ? 'bar raises' : 'bar lowers'
      const tx = f.contribution > 0 ? axis + w + 6 : axis - w - 6
      const anchor = f.contribution > 0 ? 'start' : 'end'
      return `<g class="factor" data-code="${esc(f.code)}"><title>${esc(f.message)}</title>
<text x="${label - 8}" y="${y + 15}" text-anchor="end">${esc(f.code)}</text>
<rect class="${cls}" x="${x.toFixed(1)}" y="${y + 3}" width="${w.toFixed(1)}" height="${row - 8}"></rect>
<text class="value" x="${tx.toFixed(1)}" y="${y + 15}" text-anchor="${anchor}">${f.contribution > 0 ? '+' : '−'}${Math.abs(f.contribution).toFixed(2)}</text></g>`
    })
    .join('\n')
  return `<svg id="factor-chart" role="img" aria-label="Risk factor contributions in log-odds" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<line class="axis" x1="${axis}" y1="4" x2="${axis}" y2="${height - 14}"></line>
${bars}
<text class="axis-label" x="${axis}" y="${height - 2}" text-anchor="middle">log-odds contribution (right raises the risk)</text>
</svg>
<p class="hint">${factors.length - shown.length} further factors contribute nothing for this change.</p>`
}

function riskPage({ change, risk, governance, example, examples }) {
  const body = `<h1>Risk of <code>${esc(change.id)}</code></h1>
${switcher('/risk', examples, example)}
<p class="summary">${esc(change.title ?? '')} · services ${change.services.map(esc).join(', ')} · author ${esc(change.author)}</p>
<p id="level" class="level ${esc(risk.level)}">Risk <strong>${esc(risk.level)}</strong>: score ${risk.score}/100,
probability of failure ${(risk.probability * 100).toFixed(1)} % (log-odds ${risk.log_odds.toFixed(2)} = baseline ${risk.baseline.toFixed(2)} + contributions)</p>
<section id="factors"><h2>What drives the risk</h2>
${contributionChart(risk.factors)}
${reasons(risk.factors.filter((f) => f.contribution !== 0))}
<h3>Not assessed</h3>${reasons(risk.not_assessed)}</section>
<section id="governance"><h2>Governance</h2>
<p id="allowed" class="decision ${governance.allowed ? 'promote' : 'rollback'}">${governance.allowed ? 'Allowed to proceed' : 'Not allowed yet'}
(${esc(governance.change_type)} change, ${esc(governance.risk_level)} risk; approvers: ${governance.approvers.map(esc).join(', ') || 'none'})</p>
<h3>Missing</h3>${reasons(governance.missing)}
<h3>Violations</h3>${reasons(governance.violations)}
<h3>Required</h3>${reasons(governance.required)}
<h3>Notes</h3>${reasons(governance.notes)}
${governance.post_implementation_review_due ? `<p>Post-implementation review due ${esc(time(governance.post_implementation_review_due))}</p>` : ''}
</section>`
  return layout(`Risk of ${change.id}`, '/risk', body)
}

/** A rollgate error: what was wrong, and where in the input. */
function errorPage(err, url) {
  const field = err.path === '' ? '(the whole input)' : err.path
  const body = `<h1>rollgate rejected the input</h1>
<section id="error" class="error" role="alert">
<p class="message">${esc(err.message)}</p>
<dl>
<dt>Field</dt><dd><code id="error-path">${esc(field)}</code></dd>
<dt>Code</dt><dd><code id="error-code">${esc(err.code)}</code></dd>
<dt>Input</dt><dd>${esc(err.family)}</dd>
</dl>
</section>
<p>Requested: <code>${esc(url)}</code>. Fix the field named above and try again.</p>`
  return layout('Invalid input', '', body)
}

function failurePage(status, message) {
  return layout(`Error ${status}`, '', `<h1>Error ${status}</h1><p class="error" role="alert">${esc(message)}</p>`)
}

const STYLESHEET = `
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f7f8fa; }
header { display: flex; gap: 2rem; align-items: center; padding: .7rem 1.5rem; background: #1d2430; color: #fff; }
header nav a { color: #cfd8e6; margin-right: 1.2rem; text-decoration: none; }
header nav a[aria-current] { color: #fff; border-bottom: 2px solid #6fa8ff; }
main { padding: 1rem 1.5rem 3rem; max-width: 1300px; }
h1 { font-size: 1.5rem; margin: .5rem 0; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .4rem; }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.columns { display: grid; grid-template-columns: 1fr 1fr 1.3fr; gap: 1.5rem; }
table { border-collapse: collapse; background: #fff; font-size: 13px; }
th, td { border: 1px solid #d9dee7; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.critical td:first-child { font-weight: 600; }
tr.high td, tr.low td, tr.no_data_fail td { background: #fdecea; }
.hint, .examples, .none { color: #5b6678; font-size: 13px; }
.summary { color: #39424f; }
.decision, .level { display: inline-block; padding: .4rem .8rem; border-radius: 4px; background: #e8eef8; }
.decision.rollback, .level.critical, .level.high { background: #fbe3e1; color: #8b1a10; }
.decision.promote, .level.low { background: #e2f4e5; color: #17612a; }
.reasons { padding-left: 1.2rem; }
.reason code { background: #eef1f5; padding: 0 .25rem; }
.subjects { color: #5b6678; font-size: 12px; margin-left: .4rem; }
.subjects::before { content: "— "; }
.evidence { display: block; color: #6b7586; font-size: 12px; }
.unit { color: #6b7586; font-size: 11px; }
pre.mermaid { background: #fff; border: 1px solid #d9dee7; padding: .5rem; overflow-x: auto; }
#factor-chart text { font-size: 12px; fill: #1d2430; }
#factor-chart .bar.raises { fill: #d9534f; }
#factor-chart .bar.lowers { fill: #3c9d5d; }
#factor-chart .axis { stroke: #5b6678; }
#factor-chart .axis-label { fill: #5b6678; }
.error { background: #fbe3e1; color: #8b1a10; padding: .6rem 1rem; border-radius: 4px; }
.error dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
form label { display: block; margin: .5rem 0; }
textarea { width: 100%; font: 12px ui-monospace, monospace; }
`

module.exports = { indexPage, planPage, canaryPage, riskPage, errorPage, failurePage, STYLESHEET, duration, time }
