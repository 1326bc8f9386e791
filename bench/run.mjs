// `npm run bench`: every measurement, a table on stdout, and bench/RESULTS.md.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { core } from './core.mjs'
import { launchChromium, log, machine, ROOT, startSite, BENCH } from './lib.mjs'
import { embed } from './embed.mjs'
import { EVENTS, memory } from './memory.mjs'
import { pageload } from './pageload.mjs'
import { peerCost, sizes } from './peer.mjs'
import { pipeline } from './pipeline.mjs'
import { report } from './report.mjs'

const started = Date.now()
const BUILT = ['dist/index.mjs', 'dist/analytics-next-hubspot.iife.min.js']

if (!BUILT.every((file) => existsSync(join(ROOT, file)))) {
  log('dist/ is missing: npm run build')
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
} else {
  // Not rebuilt behind the user's back (a build may be in use), but never measured unknowingly.
  const newest = (dir) => Math.max(...readdirSync(join(ROOT, dir)).map((f) => statSync(join(ROOT, dir, f)).mtimeMs))
  if (newest('src') > statSync(join(ROOT, BUILT[1])).mtimeMs)
    log('note: src/ is newer than dist/; run `npm run build` to measure the current code')
}

// `npm run bench -- core pipeline` runs some of them: printed only, RESULTS.md is left alone.
const NAMES = ['size', 'core', 'pipeline', 'peer', 'pageload', 'embed', 'memory', 'cloud']
const only = process.argv.slice(2)
const unknown = only.filter((name) => !NAMES.includes(name))
if (unknown.length) {
  log(`unknown measurement ${unknown.join(', ')}: pick from ${NAMES.join(', ')}`)
  process.exit(2)
}
const wanted = (name) => !only.length || only.includes(name)

const results = {}
const step = async (name, title, fn) => {
  if (!wanted(name)) return
  const t = Date.now()
  log(`${title}…`)
  results[name] = await fn()
  log(`  ${((Date.now() - t) / 1000).toFixed(0)} s`)
}

// Node first, while no browser competes for the two cores.
await step('size', '5. sizes', sizes)
await step('core', '2. the pure core (Node)', core)

const inBrowser = ['pipeline', 'peer', 'pageload', 'embed', 'memory'].some(wanted)
let standinBytes
if (inBrowser) {
  const site = await startSite()
  const browser = await launchChromium()
  standinBytes = site.standinBytes
  try {
    await step('pipeline', '1. per-event cost through analytics-next (Chromium)', () => pipeline(browser, site))
    await step('peer', '5. per handler, this plugin and @analytics/hubspot (Chromium)', () => peerCost(browser, site))
    await step('pageload', '3. page-load impact (Chromium)', () => pageload(browser, site))
    await step('embed', "6. page load against HubSpot's own embed (Chromium)", () => embed(browser, site))
    await step('memory', `4. memory, ${EVENTS.toLocaleString('en-US')} track calls, hubspot.js held (Chromium)`, () =>
      memory(browser, site),
    )
    results.machine = machine(browser.version())
  } finally {
    await browser.close()
    await site.close()
  }
}
results.standinBytes = standinBytes
results.seconds = (Date.now() - started) / 1000

// The raw figures, for a closer look: BENCH_JSON=file npm run bench
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2))

if (only.length) {
  for (const name of NAMES) if (results[name]) console.log(`\n## ${name}\n${results[name].table}`)
} else {
  const { text, summary } = report(results)
  writeFileSync(join(BENCH, 'RESULTS.md'), text)
  console.log(summary)
  log(`\nbench/RESULTS.md written (${results.seconds.toFixed(0)} s).`)
}

// Cloud mode under traffic and faults: its own script, scenarios in child processes, bench/CLOUD.md.
if (wanted('cloud')) {
  log('6. cloud mode under traffic and faults (Node, stand-in and redis-server on loopback)…')
  const cloud = spawnSync(process.execPath, [join(BENCH, 'cloud.mjs')], { cwd: ROOT, stdio: 'inherit' })
  if (cloud.status !== 0) process.exit(cloud.status ?? 1)
}
