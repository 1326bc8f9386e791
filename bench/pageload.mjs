// 3. Page-load impact in Chromium: the same page with and without the plugin, the stand-in
// padded to HubSpot's size and served late (bench/pages/pageload-*.html).
import { fmt, median, order, ratio, table } from './lib.mjs'

const ROUNDS = 9
const DELAYS = [0, 300]

async function once(browser, site, variant, delay) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${site.url}/demo/pageload-${variant}.html?delay=${delay}`, { waitUntil: 'load' })
  await page.waitForFunction(() => typeof window.__readyAt === 'number')
  // hubspot.js is requested with the first event, which may come after the load event.
  if (variant === 'with') await page.waitForFunction(() => !!window._hsq && window._hsq.push !== Array.prototype.push)
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0]
    return {
      dcl: nav.domContentLoadedEventEnd,
      load: nav.loadEventEnd,
      ready: window.__readyAt,
      longTasks: window.__longTasks.length,
      hubspotAt: performance.getEntriesByType('resource').find((e) => e.name.includes('/hubspot/123.js'))?.responseEnd ?? null,
    }
  })
  await context.close()
  return timing
}

export async function pageload(browser, site) {
  await once(browser, site, 'with', 0) // warm the server and the browser's caches of analytics-next
  await once(browser, site, 'without', 0)
  const rows = []
  const result = {}
  for (const delay of DELAYS) {
    const runs = { with: [], without: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of order(['with', 'without'], round)) runs[variant].push(await once(browser, site, variant, delay))
    }
    const metric = (variant, key) => runs[variant].map((r) => r[key])
    const longTasks = (variant) => metric(variant, 'longTasks').reduce((a, b) => a + b, 0)
    result[delay] = {}
    for (const [key, label] of [['dcl', 'DOMContentLoaded'], ['load', 'load event'], ['ready', 'analytics.ready()']]) {
      const r = ratio(metric('with', key), metric('without', key))
      result[delay][key] = r
      rows.push([`${delay} ms`, label, fmt.ms(median(metric('without', key))), fmt.ms(median(metric('with', key))), fmt.ratio(r)])
    }
    result[delay].longTasks = { with: longTasks('with'), without: longTasks('without') }
    rows.push([`${delay} ms`, `long tasks (> 50 ms), all ${ROUNDS} rounds`, String(longTasks('without')), String(longTasks('with')), ''])
  }
  return {
    result,
    rounds: ROUNDS,
    standinBytes: site.standinBytes,
    table: table(['hubspot.js delay', 'measure', 'without plugin', 'with plugin', 'with/without'], rows),
  }
}
