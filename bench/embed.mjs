// 6. Page load against what users would pick instead: the same page with analytics-next's CDN
// tags and this plugin, and with HubSpot's own embed snippet at the end of <body> plus
// analytics-next without HubSpot (the setup Segment's docs tell users to replace). Both load
// HubSpot through the same model of its hosts (bench/hubspot-cdn.mjs): a small loader that adds
// the ~100 KB tracker (the stand-in padded to size), each answered after a realistic latency.
//
//   BENCH_EMBED_ROUNDS=30               loads per variant
//   BENCH_EMBED_VARIANTS=plugin,embed   which variants (names below), alternated in one run
//   BENCH_HUBSPOT_LATENCY_MS=50         each HubSpot script's answer time
//   BENCH_HUBSPOT_CONNECT_MS=0          extra time for the first request on a new connection
//   BENCH_EMBED_IMAGE_MS=0              a heavier page: an image answered after that long
import { loadavg } from 'node:os'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startAssetHost, startHubSpotCdn } from './hubspot-cdn.mjs'
import { BENCH, fmt, median, medianDifference, medianRatio, order, settleHits, table } from './lib.mjs'

const HUB_ID = '123'
const env = (name, fallback) => process.env[name] ?? fallback
const ROUNDS = Number(env('BENCH_EMBED_ROUNDS', 30))
const LATENCY_MS = Number(env('BENCH_HUBSPOT_LATENCY_MS', 50))
const CONNECT_MS = Number(env('BENCH_HUBSPOT_CONNECT_MS', 0))
// A heavier page: an image in <body> answered after this many ms holds the load event (0: none).
const IMAGE_MS = Number(env('BENCH_EMBED_IMAGE_MS', 0))
// Long tasks and the stand-in's beacons can come a little after the page view: watched that long.
const SETTLE_MS = 100

/**
 * The variants. `plugin`: the settings passed to `hubspot()` besides hubId and scriptUrl (the
 * README's CDN install); `embed`: HubSpot's snippet at the end of <body>; `before` and `after`:
 * page code run before `hubspot()` and after it (with `plugins` and `cdn` in scope), for
 * experiments. `embed` is the baseline every other is divided by.
 */
export const VARIANTS = {
  embed: { label: "HubSpot's embed + analytics-next", embed: true },
  plugin: { label: 'analytics-next + this plugin', plugin: {} },
  'plugin-consent-ignored': {
    label: 'this plugin, `consentCategories: []`',
    plugin: { consentCategories: [] },
  },
}
const BASELINE = 'embed'
const chosen = () => {
  const names = env('BENCH_EMBED_VARIANTS', 'plugin,embed').split(',')
  const unknown = names.filter((name) => !VARIANTS[name])
  if (unknown.length) throw new Error(`BENCH_EMBED_VARIANTS: unknown ${unknown.join(', ')}`)
  return [BASELINE, ...names.filter((name) => name !== BASELINE)]
}

export const METRICS = {
  dcl: 'DOMContentLoaded',
  load: 'load event',
  ready: '`analytics.ready()` resolved',
  loaderRequested: "HubSpot's loader requested",
  loaderArrived: 'loader arrived',
  loaderRan: 'loader ran',
  trackerRequested: 'tracker requested',
  trackerArrived: 'tracker arrived',
  trackerRan: 'tracker ran (`_hsq` taken over)',
  beacon: 'first page-view beacon sent',
  usable: 'analytics ready and HubSpot live (the later of the two)',
}
// The issue's goals: a ratio ≤ 1.00 for these.
export const GOALS = ['dcl', 'load', 'ready']
// The same moments counted from each load's own DOMContentLoaded: what HubSpot's path adds after
// the page has parsed, without the machine's noise in parsing (which moves every figure above).
export const SINCE_DCL = ['loaderRequested', 'trackerRequested', 'trackerRan', 'load', 'beacon']

function html(variant, cdn, assets) {
  const { plugin, embed, label, before = '', after = '' } = VARIANTS[variant]
  const settings = plugin && { hubId: HUB_ID, scriptUrl: cdn.loaderUrl, ...plugin }
  const timeline = readFileSync(join(BENCH, 'pages', 'timeline.js'), 'utf8')
  // The embed's own form: protocol-relative, async and defer, the last thing in <body>.
  const snippet = cdn.loaderUrl.replace(/^http:/, '')
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Bench: ${label}</title>
    <script>
${timeline}
    </script>
    <script src="/analytics-next/bundles/index.js"></script>${plugin ? '\n    <script src="/dist/analytics-next-hubspot.iife.min.js"></script>' : ''}
  </head>
  <body>
    <h1>A page of a site</h1>
    <p>Some content, so that there is something to render before analytics is ready.</p>${assets ? `\n    <img alt="" src="${assets.origin}/image.svg?ms=${IMAGE_MS}" />` : ''}
    <script>
      var cdn = ${JSON.stringify({ loaderUrl: cdn.loaderUrl, trackerUrl: cdn.trackerUrl })}
      ${before}
      var plugins = ${plugin ? `[AnalyticsNextHubSpot.hubspot(${JSON.stringify(settings)})]` : '[]'}
      ${after}
      window.__analytics = AnalyticsNext.AnalyticsBrowser.load(
        {
          writeKey: 'bench',
          cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
          plugins: plugins,
        },
        { integrations: { 'Segment.io': false } },
      )
      window.__analytics.ready().then(function () {
        window.__timeline.mark('ready')
      })
      window.__analytics.page()
    </script>${embed ? `\n    <script type="text/javascript" id="hs-script-loader" async defer src="${snippet}"></script>` : ''}
  </body>
</html>
`
}

async function loadOnce(browser, site, cdn, variant) {
  // A fresh context: empty caches and cookies, a first visit.
  const context = await browser.newContext()
  const page = await context.newPage()
  const load = loadavg()[0]
  await page.goto(`${site.url}/demo/embed-${variant}.html`, { waitUntil: 'load' })
  await page.waitForFunction(() => ['ready', 'beacon', 'trackerRan'].every((m) => m in window.__timeline.marks), null, {
    timeout: 15_000,
  })
  await page.waitForTimeout(SETTLE_MS)
  // The beacons' network and server work would otherwise be billed to the next load.
  await settleHits(page, site)
  const figures = await page.evaluate(
    ({ loaderUrl, trackerUrl }) => {
      const nav = performance.getEntriesByType('navigation')[0]
      const resource = (url) => performance.getEntriesByType('resource').find((r) => r.name === url)
      const loader = resource(loaderUrl)
      const tracker = resource(trackerUrl)
      const { marks, longTasks, longTaskMs } = window.__timeline
      return {
        dcl: nav.domContentLoadedEventEnd,
        load: nav.loadEventEnd,
        loadStart: nav.loadEventStart,
        ready: marks.ready,
        loaderRequested: loader?.startTime ?? null,
        loaderArrived: loader?.responseEnd ?? null,
        loaderBy: loader?.initiatorType ?? null,
        loaderRan: marks.loaderRan ?? null,
        trackerRequested: tracker?.startTime ?? null,
        trackerArrived: tracker?.responseEnd ?? null,
        trackerRan: marks.trackerRan,
        beacon: marks.beacon,
        longTasks,
        longTaskMs,
      }
    },
    { loaderUrl: cdn.loaderUrl, trackerUrl: cdn.trackerUrl },
  )
  await context.close()
  // What a site waiting for both analytics and HubSpot (`hbspt`, `_hsq`) waits for, in either setup.
  return { ...figures, usable: Math.max(figures.ready, figures.trackerRan), loadavg: load }
}

export async function embed(browser, site) {
  const variants = chosen()
  const cdn = await startHubSpotCdn({
    hubId: HUB_ID,
    tracker: site.standin,
    forward: site.url,
    latencyMs: LATENCY_MS,
    connectMs: CONNECT_MS,
  })
  const assets = IMAGE_MS ? await startAssetHost() : null
  try {
    for (const variant of variants)
      writeFileSync(join(site.dir, 'demo', `embed-${variant}.html`), html(variant, cdn, assets))
    const runs = Object.fromEntries(variants.map((v) => [v, []]))
    for (const variant of variants) await loadOnce(browser, site, cdn, variant) // warm-up: disk caches, first reads
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of order(variants, round)) runs[variant].push(await loadOnce(browser, site, cdn, variant))
    }
    return summarize(runs, variants, cdn)
  } finally {
    await cdn.close()
    await assets?.close()
  }
}

function summarize(runs, variants, cdn) {
  const pick = (variant, metric) => runs[variant].map((r) => r[metric])
  const medians = Object.fromEntries(
    variants.map((v) => [v, Object.fromEntries(Object.keys(METRICS).map((m) => [m, median(pick(v, m))]))]),
  )
  const others = variants.filter((v) => v !== BASELINE)
  const ratios = Object.fromEntries(
    others.map((v) => [
      v,
      Object.fromEntries(Object.keys(METRICS).map((m) => [m, medianRatio(pick(v, m), pick(BASELINE, m))])),
    ]),
  )
  const sinceDcl = (variant, metric) => runs[variant].map((r) => r[metric] - r.dcl)
  const afterDcl = Object.fromEntries(
    variants.map((v) => [v, Object.fromEntries(SINCE_DCL.map((m) => [m, median(sinceDcl(v, m))]))]),
  )
  const differences = Object.fromEntries(
    others.map((v) => [
      v,
      Object.fromEntries(SINCE_DCL.map((m) => [m, medianDifference(sinceDcl(v, m), sinceDcl(BASELINE, m))])),
    ]),
  )
  const loads = variants.flatMap((v) => pick(v, 'loadavg'))
  const longTasks = Object.fromEntries(variants.map((v) => [v, pick(v, 'longTasks').reduce((a, b) => a + b, 0)]))
  const initiators = Object.fromEntries(variants.map((v) => [v, [...new Set(pick(v, 'loaderBy'))].join(', ')]))
  // Loads in which the load event waited for HubSpot's tracker (requested before the event).
  const held = Object.fromEntries(
    variants.map((v) => [v, runs[v].filter((r) => r.trackerRequested !== null && r.trackerRequested < r.load).length]),
  )

  const rows = Object.entries(METRICS).map(([m, label]) => [
    label,
    ...variants.map((v) => fmt.ms(medians[v][m])),
    ...others.map((v) => fmt.ratio(ratios[v][m])),
  ])
  const signed = (x) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(1)}`
  for (const m of SINCE_DCL)
    rows.push([
      `${METRICS[m]}, ms after DOMContentLoaded (difference)`,
      ...variants.map((v) => signed(afterDcl[v][m])),
      ...others.map((v) => {
        const d = differences[v][m]
        return `${signed(d.median)} ms (${signed(d.low)} to ${signed(d.high)})`
      }),
    ])
  rows.push(['long tasks (> 50 ms), all loads', ...variants.map((v) => String(longTasks[v])), ...others.map(() => '')])
  rows.push([
    "load event waited for HubSpot's tracker",
    ...variants.map((v) => `${held[v]} of ${ROUNDS}`),
    ...others.map(() => ''),
  ])
  return {
    runs,
    variants,
    baseline: BASELINE,
    labels: Object.fromEntries(variants.map((v) => [v, VARIANTS[v].label])),
    medians,
    ratios,
    afterDcl,
    differences,
    longTasks,
    held,
    initiators,
    rounds: ROUNDS,
    latencyMs: cdn.latencyMs,
    connectMs: cdn.connectMs,
    loaderBytes: cdn.loaderBytes,
    trackerBytes: cdn.trackerBytes,
    imageMs: IMAGE_MS,
    loadavg: { median: median(loads), min: Math.min(...loads), max: Math.max(...loads) },
    table: table(
      [
        'measure (median, ms from navigation start)',
        ...variants.map((v) => VARIANTS[v].label),
        ...others.map((v) => `${v === 'plugin' ? 'plugin' : v} / embed (90 % interval)`),
      ],
      rows,
    ),
  }
}
