// Shared by the benchmarks: the served site, Chromium, statistics and the table.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { transform } from 'esbuild'
import { chromium } from '@playwright/test'
import { startServer } from '../demo/server.mjs'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BENCH = join(ROOT, 'bench')

/** A TypeScript module of the repo, transpiled in memory: Node 20 cannot import .ts, and the e2e config must stay as it is. */
async function importTs(path) {
  const { code } = await transform(readFileSync(join(ROOT, path), 'utf8'), { loader: 'ts', format: 'esm' })
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
}

/** Chromium with the e2e tests' flags (e2e/chromium.ts), so the bench runs the browser the tests run. */
export async function launchChromium() {
  const { CHROMIUM_ARGS, chromiumPath } = await importTs('e2e/chromium.ts')
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
}

/** Real HubSpot tracking code is about 100 KB; the stand-in is 15 KB. */
const PADDED_SIZE = 100 * 1024

/**
 * The stand-in padded to HubSpot's size with copies of its own source, each wrapped in a
 * function that is never called: real tracking code is mostly functions too, so the browser
 * downloads and pre-parses them like the real thing instead of skipping a comment.
 */
function paddedStandin() {
  const source = readFileSync(join(ROOT, 'demo', 'hubspot-standin.js'), 'utf8')
  const copies = []
  let size = source.length
  for (let i = 0; size < PADDED_SIZE; i++) {
    const copy = `function __benchPadding${i}() {\n${source}\n}\n`
    copies.push(copy)
    size += copy.length
  }
  return `${source}\n;(function () {\n${copies.join('')}})();\n`
}

/**
 * demo/server.mjs serves `root`/dist, `root`/node_modules/@segment/analytics-next and
 * `root`/demo. Pointing it at a temporary root of links lets the bench add its pages
 * (under /demo/) and serve the padded stand-in at /hubspot/{id}.js (with its ?delay=)
 * without touching the demo or a second server.
 */
export async function startSite() {
  const site = mkdtempSync(join(tmpdir(), 'hubspot-bench-'))
  symlinkSync(join(ROOT, 'dist'), join(site, 'dist'))
  symlinkSync(join(ROOT, 'node_modules'), join(site, 'node_modules'))
  mkdirSync(join(site, 'demo'))
  for (const file of readdirSync(join(BENCH, 'pages')))
    symlinkSync(join(BENCH, 'pages', file), join(site, 'demo', file))
  symlinkSync(
    join(ROOT, 'node_modules', '@analytics', 'hubspot', 'dist', '@analytics', 'hubspot.min.js'),
    join(site, 'demo', 'peer-hubspot.min.js'),
  )
  const standin = paddedStandin()
  writeFileSync(join(site, 'demo', 'hubspot-standin.js'), standin)
  const server = await startServer({ port: 0, root: site })
  return {
    url: server.url,
    /** The served root: a measurement may add pages under `dir`/demo (they are served at /demo/). */
    dir: site,
    standin,
    standinBytes: Buffer.byteLength(standin),
    /** How many hits the stand-in's beacons have delivered to the server for a visitor (its utk cookie). */
    hitsReceived: (utk) => server.hits.reduce((n, hit) => n + (hit.utk === utk ? 1 : 0), 0),
    async close() {
      await server.close()
      rmSync(site, { recursive: true, force: true })
    },
  }
}

// ---------------------------------------------------------------------------------------
// Statistics. Every figure is a median over rounds; ratios are taken inside one round
// (both variants ran seconds apart) and their median reported, which cancels the drift of
// a shared machine better than a ratio of two medians taken at different times. Page loads
// are the exception (medianRatio): there the noise is per load, not drift.
// ---------------------------------------------------------------------------------------

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Per-round ratios a[i]/b[i]: their median, and the middle half of them as a spread. */
export function ratio(a, b) {
  const ratios = a.map((x, i) => x / b[i]).sort((x, y) => x - y)
  const q = (p) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(p * (ratios.length - 1))))]
  return { median: median(ratios), low: q(0.25), high: q(0.75) }
}

/**
 * For measures with large independent noise per sample (a page load varies by ±30 % here):
 * the ratio of the two medians, with a 90 % bootstrap interval (seeded: the same samples
 * give the same interval). Better there than the median of per-round ratios, whose pairs
 * carry the noise of both samples.
 */
export function medianRatio(a, b, resamples = 2000) {
  return bootstrap(a, b, (x, y) => x / y, resamples)
}

/** The same for the difference of the two medians (in the samples' unit), where a ratio would mix in what came before. */
export function medianDifference(a, b, resamples = 2000) {
  return bootstrap(a, b, (x, y) => x - y, resamples)
}

function bootstrap(a, b, compare, resamples) {
  let seed = 0x9e3779b9
  const random = () => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const resample = (xs) => xs.map(() => xs[Math.floor(random() * xs.length)])
  const values = Array.from({ length: resamples }, () => compare(median(resample(a)), median(resample(b)))).sort(
    (x, y) => x - y,
  )
  return {
    median: compare(median(a), median(b)),
    low: values[Math.floor(0.05 * resamples)],
    high: values[Math.floor(0.95 * resamples)],
  }
}

/** Round r runs the variants in a rotated order, so none is always first (warm) or last (after a GC). */
export const rotate = (items, round) => items.map((_, i) => items[(i + round) % items.length])

/**
 * The k-th order of the variants, from a Williams design: over a cycle of orders each
 * variant comes at each place equally often and right after each other variant equally
 * often, so that what one variant leaves behind (a GC, a beacon still in flight) does not
 * always land on the same other one. For two: AB BA AB BA…
 */
export function order(items, k) {
  const n = items.length
  // First row 0, 1, n-1, 2, n-2…; the others add 1 (mod n). Odd n needs the rows reversed too.
  const first = Array.from({ length: n }, (_, i) => (i % 2 ? (i + 1) / 2 : (n - i / 2) % n))
  const rows = Array.from({ length: n }, (_, r) => first.map((x) => (x + r) % n))
  if (n % 2) rows.push(...rows.map((row) => [...row].reverse()))
  return rows[k % rows.length].map((i) => items[i])
}

// ---------------------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------------------

export const fmt = {
  int: (n) => Math.round(n).toLocaleString('en-US'),
  ms: (n) => `${n.toFixed(1)} ms`,
  us: (n) => `${n.toFixed(2)} µs`,
  ratio: ({ median, low, high }) => `${median.toFixed(3)} (${low.toFixed(3)}–${high.toFixed(3)})`,
  bytes: (n) => `${n.toLocaleString('en-US')} B`,
  kb: (n) => `${(n / 1024).toFixed(1)} KB`,
}

/** A Markdown table: the same text is printed and written to RESULTS.md. */
export function table(header, rows) {
  const all = [header, ...rows].map((row) => row.map(String))
  const widths = header.map((_, i) => Math.max(...all.map((row) => row[i].length)))
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`
  return [line(all[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...all.slice(1).map(line)].join('\n')
}

const nproc = () => {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim())
  } catch {
    return cpus().length
  }
}

export function machine(browserVersion) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : ''
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown'
  return {
    cores: nproc(),
    cpu: model.trim(),
    node: process.version,
    chromium: browserVersion,
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
  }
}

export const log = (message) => process.stderr.write(`${message}\n`)

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Waits until the server has every hit the stand-in on `page` has sent, or nothing more
 * has come for a moment (a beacon over the browser's keepalive quota is dropped), then a
 * little longer for the answers to be handled. A beacon is sent in the background: left
 * alone, its network and server work (on the same two cores) would be billed to whichever
 * variant runs next. Hits are told apart by the visitor's utk cookie: one per context.
 */
const sentBefore = new WeakMap()
export async function settleHits(page, site, quietMs = 100) {
  const { sent, utk } = await page.evaluate(() => {
    const beacons = window.__hubspotStandin?.beacons ?? []
    return { sent: beacons.length, utk: beacons[0] ? new URL(beacons[0]).searchParams.get('vi') : undefined }
  })
  if (sent === (sentBefore.get(page) ?? 0)) return
  sentBefore.set(page, sent)
  let seen = site.hitsReceived(utk)
  let quietSince = Date.now()
  while (seen < sent && Date.now() - quietSince < quietMs) {
    await sleep(5)
    const now = site.hitsReceived(utk)
    if (now !== seen) [seen, quietSince] = [now, Date.now()]
  }
  await sleep(20)
}
