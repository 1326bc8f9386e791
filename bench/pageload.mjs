// 3. Page-load impact (bench/pages/pageload-*.html): the same page without the plugin, with
// it, and with a destination that does nothing instead (which tells the plugin's share from
// analytics-next's cost of having any destination); the HubSpot stand-in padded to HubSpot's
// size and answered after a delay.
import { fmt, median, medianRatio, order, settleHits, table } from './lib.mjs'

// Page loads vary by ±30 % on a shared two-core machine: more rounds than elsewhere (the
// comparison with HubSpot's embed, measurement 6, gets the most; this one is kept shorter).
const ROUNDS = 10
const VARIANTS = ['without', 'noop', 'with']
// 0: hubspot.js arrives at once; 300: a realistic third-party fetch on a slow link.
const DELAYS = [0, 300]
const METRICS = ['dcl', 'load', 'ready']
// Long tasks can come a little after load and hubspot.js: watched that long.
const SETTLE_MS = 150

async function loadOnce(browser, site, variant, delay) {
  // A fresh context: empty memory cache and cookies, as a first visit.
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${site.url}/demo/pageload-${variant}.html?delay=${delay}`, { waitUntil: 'load' })
  await page.waitForFunction(
    (withPlugin) =>
      window.__readyAt !== undefined && (!withPlugin || (window._hsq && window._hsq.push !== Array.prototype.push)),
    variant === 'with',
  )
  await page.waitForTimeout(SETTLE_MS)
  // The stand-in's first page view goes out as a beacon: let it land before the next load.
  await settleHits(page, site)
  const figures = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0]
    const hubspot = performance.getEntriesByType('resource').find((r) => /\/hubspot\/123\.js/.test(r.name))
    return {
      dcl: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      loadStart: nav.loadEventStart,
      ready: window.__readyAt,
      longTasks: window.__longTasks.length,
      longTaskMs: window.__longTasks.reduce((sum, t) => sum + t.duration, 0),
      hubspotRequested: hubspot ? hubspot.startTime : null,
      hubspotBytes: hubspot ? hubspot.decodedBodySize : null,
      tagMs: window.__tagMs ?? null,
      pluginCalls: window.__pluginCalls ?? null,
      longFrames: window.__longFrames,
    }
  })
  await context.close()
  return figures
}

export async function pageload(browser, site) {
  const results = {}
  for (const delay of DELAYS) {
    const runs = Object.fromEntries(VARIANTS.map((v) => [v, []]))
    await loadOnce(browser, site, 'with', delay) // warm-up: disk caches, the server's first file reads
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of order(VARIANTS, round)) runs[variant].push(await loadOnce(browser, site, variant, delay))
    }
    const pick = (variant, metric) => runs[variant].map((r) => r[metric])
    const ratios = (base) => Object.fromEntries(METRICS.map((m) => [m, medianRatio(pick('with', m), pick(base, m))]))
    results[delay] = {
      runs,
      ratios: ratios('without'),
      overNoop: ratios('noop'),
      medians: Object.fromEntries(
        VARIANTS.map((v) => [
          v,
          Object.fromEntries([...METRICS, 'hubspotRequested'].map((m) => [m, median(pick(v, m))])),
        ]),
      ),
      longTasks: Object.fromEntries(VARIANTS.map((v) => [v, sum(pick(v, 'longTasks'))])),
      longFrames: Object.fromEntries(VARIANTS.map((v) => [v, blame(pick(v, 'longFrames').flat())])),
      // hubspot.js requested before the load event fired, which then waited for it.
      heldLoads: runs.with.filter((r) => r.hubspotRequested < r.loadStart).length,
      hubspotBytes: runs.with[0].hubspotBytes,
      tagMs: median(pick('with', 'tagMs')),
      pluginCalls: pluginCalls(pick('with', 'pluginCalls')),
    }
  }

  const label = { dcl: 'DOMContentLoaded', load: 'load event', ready: 'analytics.ready()' }
  const rows = []
  for (const delay of DELAYS) {
    const r = results[delay]
    for (const m of METRICS) {
      rows.push([
        `${delay} ms`,
        label[m],
        ...VARIANTS.map((v) => fmt.ms(r.medians[v][m])),
        fmt.ratio(r.ratios[m]),
        fmt.ratio(r.overNoop[m]),
      ])
    }
    rows.push([
      `${delay} ms`,
      `long tasks, all ${ROUNDS} loads`,
      ...VARIANTS.map((v) => String(r.longTasks[v])),
      '',
      '',
    ])
    rows.push([
      `${delay} ms`,
      'long frames, by longest script',
      ...VARIANTS.map((v) => describe(r.longFrames[v])),
      '',
      '',
    ])
    rows.push([`${delay} ms`, "parser held by the plugin's tag", '', '', fmt.ms(r.tagMs), '', ''])
    const calls = r.pluginCalls
    rows.push([
      `${delay} ms`,
      "the plugin's calls in the load, median (longest)",
      '',
      '',
      calls.first.map(([name, ms, max]) => `${name} ${fmt.ms(ms)} (${fmt.ms(max)})`).join(', '),
      '',
      '',
    ])
    rows.push([`${delay} ms`, 'hubspot.js requested at', '', '', fmt.ms(r.medians.with.hubspotRequested), '', ''])
    rows.push([`${delay} ms`, 'loads whose load event waited for it', '', '', `${r.heldLoads} of ${ROUNDS}`, '', ''])
  }
  return {
    results,
    rounds: ROUNDS,
    delays: DELAYS,
    table: table(
      [
        'hubspot.js delay',
        'measure',
        'without',
        'no-op destination',
        'with plugin',
        'with/without (90 % interval)',
        'with/no-op (90 % interval)',
      ],
      rows,
    ),
  }
}

const sum = (values) => values.reduce((a, b) => a + b, 0)

/** Per load, the plugin's calls in order: the first of each kind, its median and longest time over the loads. */
function pluginCalls(loads) {
  const firsts = {}
  for (const calls of loads) {
    const seen = new Set()
    for (const [name, ms] of calls) {
      if (seen.has(name)) continue
      seen.add(name)
      ;(firsts[name] ||= []).push(ms)
    }
  }
  return {
    first: Object.entries(firsts).map(([name, times]) => [name, median(times), Math.max(...times)]),
    longest: Math.max(...loads.flat().map(([, ms]) => ms)),
    total: median(loads.map((calls) => sum(calls.map(([, ms]) => ms)))),
  }
}

const SOURCES = [
  ['hubspot.js', /\/hubspot\/123\.js/],
  ['plugin', /analytics-next-hubspot/],
  ['analytics-next', /\/analytics-next\/bundles\//],
  ['page', /\/demo\/pageload-/],
]

/** Long animation frames (> 50 ms) counted by the script that ran longest in each. */
function blame(frames) {
  const counts = {}
  for (const frame of frames) {
    const longest = frame.scripts.reduce((a, b) => (b.duration > (a?.duration ?? -1) ? b : a), null)
    const source = longest ? (SOURCES.find(([, pattern]) => pattern.test(longest.src))?.[0] ?? 'other') : 'no script'
    counts[source] = (counts[source] ?? 0) + 1
  }
  return counts
}

const describe = (counts) =>
  Object.entries(counts)
    .map(([source, n]) => `${source} ${n}`)
    .join(', ') || '0'
