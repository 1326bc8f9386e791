// 1. Per-event cost through analytics-next, in Chromium (bench/pages/pipeline.js).
import { fmt, median, order, ratio, rotate, settleHits, table } from './lib.mjs'

const VARIANTS = ['none', 'noop', 'hubspot', 'hubspot-sink']
const METHODS = ['track', 'identify', 'page']
const ROUNDS = 7
// Each round runs BLOCKS blocks of BATCH events per variant, the variants' order changed
// from block to block: variants seconds apart share the machine's mood. Between blocks
// the stand-in's beacons are left to arrive (untimed), so that no variant pays for them
// but (c), and (c) only for what the stand-in does on the page's main thread.
const BATCH = 50
const BLOCKS = 4

export async function pipeline(browser, site) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${site.url}/demo/pipeline.html`)
  await page.evaluate(() => window.benchPipeline.ready)
  const run = async (variant, method, n) => {
    const ms = await page.evaluate(
      ([v, m, count, batch]) => window.benchPipeline.run(v, m, count, batch),
      [variant, method, n, BATCH],
    )
    await settleHits(page, site)
    return ms
  }

  for (const m of METHODS) for (const v of VARIANTS) await run(v, m, 2 * BATCH) // warm-up
  // ms[method][variant][round]
  const ms = Object.fromEntries(METHODS.map((m) => [m, Object.fromEntries(VARIANTS.map((v) => [v, []]))]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of rotate(METHODS, round)) {
      const total = Object.fromEntries(VARIANTS.map((v) => [v, 0]))
      for (let block = 0; block < BLOCKS; block++) {
        for (const v of order(VARIANTS, round + block)) total[v] += await run(v, m, BATCH)
      }
      for (const v of VARIANTS) ms[m][v].push(total[v])
    }
  }
  const stats = await page.evaluate(() => window.benchPipeline.stats())
  await context.close()
  if (!stats.hsqLive || !stats.sinkCommands || stats.standinHits < 2)
    throw new Error(`the plugin sent nothing: ${JSON.stringify(stats)}`)

  const events = BATCH * BLOCKS
  const perSecond = (m, v) => (events / median(ms[m][v])) * 1000
  const result = {}
  const rows = METHODS.map((m) => {
    // Cost ratios: time per event of the variant over the no-op destination's, round by round.
    const c = ratio(ms[m].hubspot, ms[m].noop)
    const sink = ratio(ms[m]['hubspot-sink'], ms[m].noop)
    // (a) and (b) do the same work but for an empty handler: how far apart they come is
    // the noise floor against which c/b and c'/b are read.
    const floor = ratio(ms[m].none, ms[m].noop)
    result[m] = { c, sink, floor, perSecond: Object.fromEntries(VARIANTS.map((v) => [v, perSecond(m, v)])) }
    return [
      m,
      fmt.int(perSecond(m, 'none')),
      fmt.int(perSecond(m, 'noop')),
      fmt.ratio(floor),
      fmt.int(perSecond(m, 'hubspot')),
      fmt.ratio(c),
      fmt.int(perSecond(m, 'hubspot-sink')),
      fmt.ratio(sink),
    ]
  })
  return {
    result,
    rounds: ROUNDS,
    events,
    batch: BATCH,
    table: table(
      [
        'call',
        '(a) none ev/s',
        '(b) no-op ev/s',
        'a/b (noise floor)',
        '(c) HubSpot ev/s',
        'c/b',
        "(c') HubSpot, sink _hsq ev/s",
        "c'/b",
      ],
      rows,
    ),
  }
}
