// 5. The peer, @analytics/hubspot 0.5.1: size, and per-event cost handler by handler
// (bench/pages/peer.js).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { fmt, median, order, ratio, ROOT, settleHits, table } from './lib.mjs'

const METHODS = ['track', 'identify', 'page']
const ROUNDS = 9
const BLOCK_MS = 40

// size-limit's measure (@size-limit/file): gzip level 9.
const gzip = (code) => gzipSync(code, { level: 9 }).length

/** Minified ESM as a site's bundler would include it. */
async function bundled(contents, options = {}) {
  const { outputFiles } = await build({
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    target: 'es2020',
    logLevel: 'error',
    ...options,
  })
  return outputFiles[0].contents
}

export async function sizes() {
  const file = (path) => readFileSync(join(ROOT, path))
  const peerBuild = file('node_modules/@analytics/hubspot/dist/@analytics/hubspot.min.js')
  const rows = [
    [
      'this plugin',
      'CDN core file (dist/analytics-next-hubspot.iife.min.js; forms and utk in files of their own)',
      file('dist/analytics-next-hubspot.iife.min.js'),
    ],
    [
      'this plugin',
      'ESM, `import { hubspot }`, esbuild --minify, js-cookie external',
      await bundled("export { hubspot } from './dist/index.mjs'", { external: ['js-cookie'] }),
    ],
    ['@analytics/hubspot 0.5.1', 'browser build (dist/@analytics/hubspot.min.js)', peerBuild],
    [
      '@analytics/hubspot 0.5.1',
      'ESM, `import hubspot`, esbuild --minify (browser field)',
      await bundled("export { default } from '@analytics/hubspot'", { platform: 'browser' }),
    ],
  ].map(([who, what, code]) => ({ who, what, min: code.length, gzip: gzip(code) }))
  return {
    rows,
    table: table(
      ['package', 'build', 'minified', 'gzip'],
      rows.map((r) => [r.who, r.what, fmt.bytes(r.min), fmt.bytes(r.gzip)]),
    ),
  }
}

export async function peerCost(browser, site) {
  const context = await browser.newContext()
  const page = await context.newPage()
  await page.goto(`${site.url}/demo/peer.html`)
  await page.evaluate(() => window.benchPeer.ready)
  const run = async (who, method, n, sink) => {
    const ms = await page.evaluate(([w, m, count, s]) => window.benchPeer.run(w, m, count, s), [who, method, n, sink])
    await settleHits(page, site)
    return ms
  }

  const modes = { live: false, sink: true }
  const out = {}
  for (const [mode, sink] of Object.entries(modes)) {
    out[mode] = {}
    for (const m of METHODS) {
      // Blocks of about BLOCK_MS each (a page's clock ticks in 0.1 ms): the peer's handlers
      // can be a hundred times faster than ours, so each gets its own count.
      const n = {}
      for (const who of ['ours', 'peer']) {
        await run(who, m, 100, sink)
        const perCall = (await run(who, m, 200, sink)) / 200
        n[who] = Math.min(500_000, Math.max(50, Math.round(BLOCK_MS / Math.max(perCall, 1e-4))))
      }
      const perCallMs = { ours: [], peer: [] }
      for (let round = 0; round < ROUNDS; round++) {
        for (const who of order(['ours', 'peer'], round))
          perCallMs[who].push((await run(who, m, n[who], sink)) / n[who])
      }
      const us = (who) => median(perCallMs[who]) * 1000
      out[mode][m] = { ours: us('ours'), peer: us('peer'), ratio: ratio(perCallMs.ours, perCallMs.peer) }
    }
  }
  await context.close()

  const rows = []
  for (const [mode, label] of [
    ['sink', 'handler alone (sink _hsq)'],
    ['live', 'handler + stand-in (live _hsq)'],
  ]) {
    for (const m of METHODS) {
      const r = out[mode][m]
      rows.push([m, label, fmt.us(r.ours), fmt.us(r.peer), fmt.ratio(r.ratio)])
    }
  }
  return {
    result: out,
    table: table(['call', 'measured', 'this plugin', '@analytics/hubspot', 'ours/peer'], rows),
  }
}
