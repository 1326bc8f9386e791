// 2. The plugin's own work: the pure event → `_hsq` commands functions, alone, in Node.
// dist/index.mjs does not export them, so src/ is bundled in memory with esbuild.
import { build } from 'esbuild'
import { performance } from 'node:perf_hooks'
import { fmt, median, ROOT, rotate, table } from './lib.mjs'
import './pages/fixtures.js'

const ROUNDS = 9
const BLOCK_MS = 100

async function importCore() {
  const { outputFiles } = await build({
    stdin: {
      contents: [
        "export { trackCommands } from './src/core/device/track'",
        "export { identifyCommands, pagePath, pageStep, pageTitle } from './src/core/device/commands'",
        "export { parseSettings } from './src/core/device/settings'",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    logLevel: 'error',
  })
  return import(`data:text/javascript;base64,${Buffer.from(outputFiles[0].contents).toString('base64')}`)
}

export async function core() {
  const { trackCommands, identifyCommands, pagePath, pageStep, pageTitle, parseSettings } = await importCore()
  const settings = parseSettings({ hubId: '123' })
  const { events } = globalThis.benchFixtures
  // What the plugin's handlers run for each call, minus the browser (consent, _hsq).
  const work = {
    track: () => trackCommands(events.track, settings).commands,
    identify: () => identifyCommands(events.identify, settings, true).commands,
    // A page call after hubspot.js has loaded, not its first: a view of its own, as page-views.ts sends it.
    page: () => {
      const path = pagePath(events.page, '/')
      const title = pageTitle(events.page)
      return pageStep(false, true, false) === 'view'
        ? [
            ['setPath', path],
            ['trackPageView', title],
          ]
        : []
    },
  }
  const methods = Object.keys(work)

  // The commands are kept, as _hsq keeps them: otherwise the JIT may see that they do not
  // escape and skip building them, which the plugin never can.
  const kept = new Array(1024)
  const time = (fn, n) => {
    const start = performance.now()
    for (let i = 0; i < n; i++) kept[i & 1023] = fn()
    return performance.now() - start
  }

  // Warm up (JIT) and size each block to about BLOCK_MS.
  const n = {}
  for (const m of methods) {
    time(work[m], 2000)
    n[m] = Math.max(1000, Math.round((BLOCK_MS / time(work[m], 2000)) * 2000))
  }
  const perEvent = Object.fromEntries(methods.map((m) => [m, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const m of rotate(methods, round)) perEvent[m].push(time(work[m], n[m]) / n[m])
  }
  for (const m of methods)
    if (!work[m]().length) throw new Error(`the core sent nothing for ${m}: the fixtures no longer fit it`)

  const rows = methods.map((m) => {
    const ms = median(perEvent[m])
    return [m, fmt.int(1000 / ms), fmt.us(ms * 1000)]
  })
  const us = Object.fromEntries(methods.map((m) => [m, median(perEvent[m]) * 1000]))
  return {
    us,
    table: table(['call', 'events/s', 'per event'], rows),
  }
}
