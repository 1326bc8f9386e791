// 4. Memory while hubspot.js never arrives (bench/pages/memory.js): 100,000 track calls.
import { fmt, table } from './lib.mjs'

export const EVENTS = 100_000
const BATCH = 200

/** JS heap in use after a full collection (twice: a first pass can leave finalizable garbage). */
async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  return (await cdp.send('Runtime.getHeapUsage')).usedSize
}

async function measure(browser, site, withPlugin) {
  const context = await browser.newContext()
  // Never answered: the request stays pending, as behind a stalled network or proxy.
  let held = 0
  await context.route(/\/hubspot\/123\.js/, () => {
    held += 1
  })
  const page = await context.newPage()
  const warnings = []
  page.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()))
  // The held script holds back the load event too.
  await page.goto(`${site.url}/demo/memory.html?plugin=${withPlugin ? 1 : 0}`, { waitUntil: 'domcontentloaded' })
  await page.evaluate(() => window.benchMemory.ready)
  const cdp = await context.newCDPSession(page)
  const run = (n) => page.evaluate(([count, batch]) => window.benchMemory.run(count, batch), [n, BATCH])

  const before = await heapAfterGc(cdp)
  const started = Date.now()
  await run(EVENTS / 2)
  const half = await heapAfterGc(cdp)
  await run(EVENTS / 2)
  const after = await heapAfterGc(cdp)
  const seconds = (Date.now() - started) / 1000
  const stats = await page.evaluate(() => window.benchMemory.stats())
  await context.close()
  if (withPlugin && (held !== 1 || stats.hubspotLive)) throw new Error('hubspot.js was not held back as planned')
  return { before, half, after, growth: after - before, secondHalf: after - half, seconds, ...stats, warnings }
}

export async function memory(browser, site) {
  // The plugin's run first: analytics-next's own first-run costs land on it, not on the
  // baseline, so the plugin's share is, if anything, overstated.
  const plugin = await measure(browser, site, true)
  const none = await measure(browser, site, false)
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`
  const signed = (bytes) => `${bytes >= 0 ? '+' : '−'}${mb(Math.abs(bytes))}`
  const row = (name, r) => [
    name,
    mb(r.before),
    signed(r.half - r.before),
    signed(r.growth),
    signed(r.secondHalf),
    r.hsqLength ?? '–',
    fmt.int(EVENTS / r.seconds),
  ]
  return {
    plugin,
    none,
    share: plugin.growth - none.growth,
    table: table(
      ['variant', 'heap before', 'after 50,000', 'after 100,000', 'second 50,000', '_hsq.length', 'events/s'],
      [
        row('no destination', none),
        row('HubSpot, hubspot.js held', plugin),
        [
          'plugin share',
          '',
          '',
          signed(plugin.growth - none.growth),
          signed(plugin.secondHalf - none.secondHalf),
          '',
          '',
        ],
      ],
    ),
  }
}
