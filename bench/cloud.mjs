// Cloud mode under traffic and faults (issue 13), against the HubSpot API stand-in and a
// throwaway redis-server on loopback. `node bench/cloud.mjs` runs every scenario, each in a
// child process of its own (so that heap figures are its own), prints a table and writes
// bench/CLOUD.md; `node bench/cloud.mjs steady` runs one and prints its JSON.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const TOKEN = 'pat-na1-test-token'
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * The API stand-in (test/cloud/api-standin.ts and the modules it imports), bundled once into
 * bench/.out. Its contract checks are off: the figures are the plugin's work, not the checks'
 * (they run in this same process); `npm test` checks the contract.
 */
async function standin() {
  const outfile = join(ROOT, 'bench/.out/api-standin.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/cloud/api-standin.ts')],
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    outfile,
    // contract.ts finds HubSpot's OpenAPI files beside itself.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(ROOT, 'test/cloud/contract.ts')).href) },
    logLevel: 'error',
  })
  const module = await import(pathToFileURL(outfile).href)
  return { ...module, startHubSpotApi: (options = {}) => module.startHubSpotApi({ checkContract: false, ...options }) }
}

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

/** A redis-server on loopback; with `dir`, every write is in its append-only file before it is answered. */
async function redisServer(dir) {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '']
  const persist = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']
  let child
  const { default: Redis } = await import('ioredis')
  const start = async () => {
    child = spawn('redis-server', [...args, ...persist], { stdio: 'ignore' })
    const probe = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 100 ? null : 50) })
    probe.on('error', () => {})
    await probe.ping()
    await probe.quit()
  }
  await start()
  return {
    port,
    kill: () => child.kill('SIGKILL'),
    restart: start,
    client: () => new Redis({ port, host: '127.0.0.1' }),
  }
}

/** Peak heap of this process, sampled every 50 ms. */
function heapWatch() {
  let peak = process.memoryUsage().heapUsed
  const base = peak
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 50)
  return {
    base,
    stop: () => {
      clearInterval(timer)
      return { peakMB: +(peak / 1e6).toFixed(1), growthMB: +((peak - base) / 1e6).toFixed(1) }
    },
  }
}

/** analytics-node with the built destination; every call's settle time and outcome recorded. */
async function client(settings) {
  const { Analytics } = await import('@segment/analytics-node')
  const { hubspotCloud } = await import(join(ROOT, 'dist/node.mjs'))
  const analytics = new Analytics({ writeKey: 'bench', disable: true })
  await analytics.deregister('Segment.io')
  analytics.on('error', () => {})
  await analytics.register(hubspotCloud({ accessToken: TOKEN, hubId: 123, ...settings }))
  const calls = []
  const send = (method, params) => {
    const call = { at: Date.now(), ms: null, error: null }
    calls.push(call)
    analytics[method](params, (error) => {
      call.ms = Date.now() - call.at
      call.error = error ? String(error.message ?? error) : null
    })
  }
  const settled = async (n, ms) => {
    const end = Date.now() + ms
    while (calls.filter((c) => c.ms !== null).length < n && Date.now() < end) await sleep(20)
  }
  return { analytics, calls, send, settled }
}

function summary(calls) {
  const done = calls.filter((c) => c.ms !== null)
  const ms = done.map((c) => c.ms).sort((a, b) => a - b)
  const reasons = {}
  for (const c of done) if (c.error) reasons[c.error.slice(0, 90)] = (reasons[c.error.slice(0, 90)] ?? 0) + 1
  return {
    calls: calls.length,
    delivered: done.filter((c) => !c.error).length,
    failed: done.length - done.filter((c) => !c.error).length,
    unsettled: calls.length - done.length,
    latencyMs: ms.length
      ? {
          mean: Math.round(ms.reduce((a, b) => a + b, 0) / ms.length),
          p95: ms[Math.floor(ms.length * 0.95)],
          max: ms.at(-1),
        }
      : null,
    reasons,
  }
}

/** What HubSpot recorded: occurrences by `n`, and how many came twice. */
function recorded(api) {
  const ns = api.events.map((e) => String(e.properties.n))
  return { events: ns.length, unique: new Set(ns).size, duplicates: ns.length - new Set(ns).size }
}

const track = (n) => ({ userId: `u${n}`, event: 'Bench', properties: { n, email: `u${n % 97}@example.com` } })

const SCENARIOS = {
  /** 20 tracks/s and 20 identifies/s for 30 s, each lane under 100 requests per rolling 10 s. */
  async steady() {
    const { startHubSpotApi } = await standin()
    const api = await startHubSpotApi({
      rateLimit: { max: 100, intervalMs: 10_000 },
      eventsRateLimit: { max: 100, intervalMs: 10_000 },
    })
    const heap = heapWatch()
    const c = await client({
      baseUrl: api.url,
      rateLimit: { requests: 100, perMs: 10_000, daily: 1_000_000 },
      eventsRateLimit: { requests: 100, perMs: 10_000 },
    })
    const started = Date.now()
    for (let i = 0; i < 600; i++) {
      c.send('track', track(i))
      c.send('identify', { userId: `c${i}`, traits: { email: `c${i}@example.com`, plan: 'pro' } })
      await sleep(Math.max(0, started + (i + 1) * 50 - Date.now()))
    }
    await c.settled(1200, 90_000)
    const tracks = c.calls.filter((_, i) => i % 2 === 0)
    const identifies = c.calls.filter((_, i) => i % 2 === 1)
    const sends = api.requests.filter((r) => r.path.startsWith('/events/v3/send'))
    const upserts = api.requests.filter((r) => r.path === '/crm/v3/objects/contacts/batch/upsert')
    const size = (r) => r.body?.inputs?.length ?? 1
    const result = {
      seconds: (Date.now() - started) / 1000,
      tracks: summary(tracks),
      identifies: summary(identifies),
      eventsPerRequest: +(sends.reduce((a, r) => a + size(r), 0) / sends.length).toFixed(1),
      contactsPerRequest: +(upserts.reduce((a, r) => a + size(r), 0) / upserts.length).toFixed(1),
      peakEventRequestsPer10s: api.peakRate(10_000, (r) => r.path.startsWith('/events/v3/send')),
      peakCrmRequestsPer10s: api.peakRate(10_000, (r) => !r.path.startsWith('/events/v3/send')),
      rateLimited: api.counters.rateLimited,
      recorded: recorded(api),
      heap: heap.stop(),
    }
    await c.analytics.closeAndFlush()
    await api.close()
    return result
  },

  /** 50,000 tracks at once, the default settings (maxQueuedEvents 10,000, 10 event requests/s). */
  async burst() {
    const { startHubSpotApi } = await standin()
    const api = await startHubSpotApi()
    global.gc?.()
    const heap = heapWatch()
    const c = await client({ baseUrl: api.url })
    const started = Date.now()
    for (let i = 0; i < 50_000; i++) c.send('track', track(i))
    const refusedAt = Date.now() - started
    // What is held while the 10,000 admitted calls wait (garbage collected first): steadier than the peak.
    await sleep(500)
    global.gc?.()
    const heldMB = +((process.memoryUsage().heapUsed - heap.base) / 1e6).toFixed(1)
    await c.settled(50_000, 120_000)
    const result = {
      seconds: (Date.now() - started) / 1000,
      msToIssue: refusedAt,
      heldMB,
      ...summary(c.calls),
      recorded: recorded(api),
      requests: api.counters.requests,
      heap: heap.stop(),
    }
    await c.analytics.closeAndFlush()
    await api.close()
    return result
  },

  /** The baseline of `burst`: the same 50,000 tracks through analytics-node to a destination that does nothing. */
  async burstBaseline() {
    const { Analytics } = await import('@segment/analytics-node')
    const analytics = new Analytics({ writeKey: 'bench', disable: true })
    await analytics.deregister('Segment.io')
    const noop = { name: 'noop', type: 'destination', version: '1', isLoaded: () => true, load: async () => {} }
    await analytics.register({ ...noop, track: async (ctx) => ctx })
    global.gc?.()
    const heap = heapWatch()
    const started = Date.now()
    let done = 0
    for (let i = 0; i < 50_000; i++) analytics.track(track(i), () => done++)
    while (done < 50_000) await sleep(20)
    return { seconds: (Date.now() - started) / 1000, heap: heap.stop() }
  },

  /** 2,000 tracks; 30 % of answers lost after HubSpot recorded the request. */
  async lost() {
    const { startHubSpotApi } = await standin()
    const api = await startHubSpotApi({
      faults: { probability: 0.3, kinds: ['drop'], faultAfterAccept: true },
      seed: 11,
    })
    const c = await client({ baseUrl: api.url, backoffBaseMs: 50, maxRetries: 10 })
    const started = Date.now()
    for (let i = 0; i < 2000; i++) c.send('track', track(i))
    await c.settled(2000, 90_000)
    const result = {
      seconds: (Date.now() - started) / 1000,
      ...summary(c.calls),
      recorded: recorded(api),
      requests: api.counters.requests,
      answersLost: api.counters.dropped,
      duplicatesRejectedByHubSpot: api.counters.duplicatesRejected,
    }
    await c.analytics.closeAndFlush()
    await api.close()
    return result
  },

  /**
   * 10,000 tracks at once, 20 % of requests faulted (500, 502, 503, 504, 429, dropped connection),
   * events under 190 requests per rolling 10 s (npm test runs 2,000 under a scaled limit).
   */
  async faults() {
    const { startHubSpotApi } = await standin()
    const api = await startHubSpotApi({
      eventsRateLimit: { max: 190, intervalMs: 10_000 },
      faults: { probability: 0.2, kinds: [500, 502, 503, 504, 429, 'drop'], retryAfterSeconds: 0 },
      seed: 7,
    })
    const c = await client({
      baseUrl: api.url,
      eventsRateLimit: { requests: 190, perMs: 10_000 },
      backoffBaseMs: 20,
      timeoutMs: 2000,
    })
    const started = Date.now()
    for (let i = 0; i < 10_000; i++) c.send('track', track(i))
    await c.settled(10_000, 90_000)
    const result = {
      seconds: (Date.now() - started) / 1000,
      ...summary(c.calls),
      recorded: recorded(api),
      requests: api.counters.requests,
      faulted: api.counters.faults,
      rateLimited: api.counters.rateLimited,
      peakPer10s: api.peakRate(10_000),
    }
    await c.analytics.closeAndFlush()
    await api.close()
    return result
  },

  /** 2,000 tracks over 10 s sharing the budget through Redis (limiterStore); Redis killed at 3 s, back at 7 s. */
  async redis() {
    return redisOutage(false)
  },

  /** The same with the durable queue (queueStore, Redis with an append-only file): Redis killed at 3 s, back at 7 s. */
  async redisDurable() {
    return redisOutage(true)
  },

  /** 10 tracks/s for 80 s, HubSpot down (503) from 10 s to 70 s; in process, default deliveryTimeoutMs. */
  async down() {
    return downRun(false)
  },

  /** The same through the durable queue (deliveryTimeoutMs 20 s, claimAfterMs 5 s, maxAttempts 20). */
  async downDurable() {
    return downRun(true)
  },

  /** A child with queueStore writes 5,000 tracks and is SIGKILLed while delivering; a new child takes over. */
  async sigkill() {
    const { startHubSpotApi } = await standin()
    const api = await startHubSpotApi()
    const server = await redisServer()
    const child = (count) => {
      const proc = spawn(process.execPath, [join(ROOT, 'test/cloud/durable-sender.mjs')], {
        env: { ...process.env, API_URL: api.url, REDIS_PORT: String(server.port), COUNT: String(count), TOKEN },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      const written = new Promise((resolve) => proc.stdout.once('data', (d) => resolve(JSON.parse(String(d)))))
      return { proc, written }
    }
    const started = Date.now()
    const first = child(5000)
    const written = await first.written
    await sleep(1000)
    first.proc.kill('SIGKILL')
    const atKill = recorded(api).unique
    const second = child(0)
    const end = Date.now() + 60_000
    while (recorded(api).unique < 5000 && Date.now() < end) await sleep(100)
    await sleep(500)
    second.proc.kill('SIGKILL')
    const result = {
      seconds: (Date.now() - started) / 1000,
      written: written.written,
      deliveredBeforeKill: atKill,
      recorded: recorded(api),
      lost: 5000 - recorded(api).unique,
    }
    server.kill()
    await api.close()
    return result
  },
}

async function redisOutage(durable) {
  const { startHubSpotApi } = await standin()
  const api = await startHubSpotApi()
  const dir = durable ? mkdtempSync(join(tmpdir(), 'hubspot-bench-redis-')) : undefined
  const server = await redisServer(dir)
  const redis = server.client()
  redis.on('error', () => {})
  const warnings = []
  console.warn = (m) => warnings.push(String(m))
  const store = durable ? { queueStore: { redis, claimAfterMs: 2000 } } : { limiterStore: { redis } }
  const c = await client({ baseUrl: api.url, ...store, eventsRateLimit: { requests: 20, perMs: 1000 } })
  const started = Date.now()
  const outage = (async () => {
    await sleep(3000)
    server.kill()
    await sleep(4000)
    await server.restart()
  })()
  for (let i = 0; i < 2000; i++) {
    c.send('track', track(i))
    await sleep(Math.max(0, started + (i + 1) * 5 - Date.now()))
  }
  await outage
  await c.settled(2000, 60_000)
  const end = Date.now() + 60_000
  while (recorded(api).unique < 2000 && Date.now() < end) await sleep(100)
  const result = { seconds: (Date.now() - started) / 1000, ...summary(c.calls), recorded: recorded(api), warnings }
  if (durable) await c.analytics.deregister('HubSpot')
  else await c.analytics.closeAndFlush()
  redis.disconnect()
  server.kill()
  if (dir) rmSync(dir, { recursive: true, force: true })
  await api.close()
  return result
}

async function downRun(durable) {
  const { startHubSpotApi } = await standin()
  const api = await startHubSpotApi()
  const server = durable ? await redisServer() : null
  const redis = server?.client()
  const c = await client({
    baseUrl: api.url,
    ...(durable ? { queueStore: { redis, claimAfterMs: 5000, maxAttempts: 20 }, deliveryTimeoutMs: 20_000 } : {}),
  })
  const started = Date.now()
  setTimeout(() => api.down(60_000), 10_000)
  for (let i = 0; i < 800; i++) {
    c.send('track', track(i))
    await sleep(Math.max(0, started + (i + 1) * 100 - Date.now()))
  }
  await c.settled(800, 90_000)
  const end = Date.now() + 120_000
  while (durable && recorded(api).unique < 800 && Date.now() < end) await sleep(200)
  const result = {
    seconds: (Date.now() - started) / 1000,
    ...summary(c.calls),
    recorded: recorded(api),
    answeredDown: api.counters.down,
  }
  if (durable) await c.analytics.deregister('HubSpot')
  else await c.analytics.closeAndFlush()
  redis?.disconnect()
  server?.kill()
  await api.close()
  return result
}

const OLD = {
  steady: '1.2 events per request, backlog growing ~8 events/s, latency up to 83 s',
  burst: '812 MB of heap (about 16 KB per pending event), all 50,000 held',
  burstBaseline: '(not measured)',
  lost: '800 duplicates in 2,000 events (no uuid)',
  faults: '(a unit test until the merge: 10,000 delivered once)',
  redis: 'Redis unreachable: 2,000 failures after 71 s (or a silent hang with maxRetriesPerRequest: null)',
  redisDurable: 'no durable mode',
  down: 'Retry-After uncapped; closeAndFlush (75 s) could resolve with calls unsettled',
  downDurable: 'no durable mode',
  sigkill: '≥ 2,000 of a 5,000 burst lost, silently',
}

function row(name, r) {
  const lat = (s) =>
    s?.latencyMs ? `latency mean ${s.latencyMs.mean} ms, p95 ${s.latencyMs.p95}, max ${s.latencyMs.max}` : ''
  const rec = (x) => `${x.unique} recorded, ${x.duplicates} duplicated`
  switch (name) {
    case 'steady':
      return `tracks ${r.tracks.delivered}/${r.tracks.calls} delivered, ${r.eventsPerRequest} events per request, ${lat(r.tracks)}; identifies ${r.identifies.delivered}/${r.identifies.calls}, ${r.contactsPerRequest} per request, ${lat(r.identifies)}; peak ${r.peakEventRequestsPer10s} event and ${r.peakCrmRequestsPer10s} CRM requests in any 10 s (limit 100 each), ${r.rateLimited} 429s; peak heap ${r.heap.peakMB} MB`
    case 'burst':
      return `${r.delivered} delivered, ${r.failed} refused at once (maxQueuedEvents), ${r.unsettled} unsettled, in ${r.seconds} s (${r.requests} requests); ${rec(r.recorded)}; peak heap ${r.heap.peakMB} MB (+${r.heap.growthMB} MB); held with the 10,000 pending, after a GC: ${r.heldMB} MB`
    case 'burstBaseline':
      return `analytics-node alone, a destination that does nothing: peak heap ${r.heap.peakMB} MB (+${r.heap.growthMB} MB), ${r.seconds} s: the part of \`burst\` that is not this plugin's`
    case 'lost':
      return `${r.delivered} delivered, ${r.failed} failed; ${r.answersLost} answers lost, ${r.duplicatesRejectedByHubSpot} retries rejected by HubSpot as duplicates (counted delivered); ${rec(r.recorded)}; ${r.seconds} s`
    case 'faults':
      return `${r.delivered} delivered, ${r.failed} failed with a reason, ${r.unsettled} unsettled; ${rec(r.recorded)}; ${r.requests} requests (${r.faulted} faulted, ${r.rateLimited} 429), peak ${r.peakPer10s} in any 10 s (limit 190); ${r.seconds} s`
    case 'redis':
    case 'redisDurable':
      return `${r.delivered} delivered, ${r.failed} failed, ${r.unsettled} unsettled; ${rec(r.recorded)}; ${r.warnings.length} warning(s); ${r.seconds} s`
    case 'down':
    case 'downDurable':
      return `${r.delivered} settled delivered, ${r.failed} failed with a reason, ${r.unsettled} unsettled, ${lat(r)}; ${rec(r.recorded)}; ${r.answeredDown} requests answered 503 while down; ${r.seconds} s`
    case 'sigkill':
      return `${r.written} written, ${r.deliveredBeforeKill} delivered before SIGKILL; after the restart ${rec(r.recorded)}, ${r.lost} lost; ${r.seconds} s`
  }
  return JSON.stringify(r)
}

async function main() {
  const only = process.argv[2]
  if (only) {
    if (!SCENARIOS[only]) throw new Error(`no scenario ${only}: ${Object.keys(SCENARIOS).join(', ')}`)
    const result = await SCENARIOS[only]()
    process.stdout.write(JSON.stringify(result) + '\n')
    process.exit(0)
  }
  if (!existsSync(join(ROOT, 'dist/node.mjs'))) spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  const lines = []
  const started = Date.now()
  for (const name of Object.keys(SCENARIOS)) {
    const t = Date.now()
    const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), name], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1e8,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const last = run.stdout.trim().split('\n').pop()
    const text = run.status === 0 ? row(name, JSON.parse(last)) : `failed (exit ${run.status})`
    lines.push(`| ${name} | ${OLD[name]} | ${text} |`)
    console.error(`cloud ${name}: ${text} [${((Date.now() - t) / 1000).toFixed(0)} s]`)
  }
  const table = ['| scenario | before (issue 13) | now |', '| --- | --- | --- |', ...lines].join('\n')
  const md = `# Cloud mode under traffic and faults\n\nWritten by \`node bench/cloud.mjs\` (also part of \`npm run bench\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${((Date.now() - started) / 1000).toFixed(0)} s, on ${process.version}, against test/cloud/api-standin.ts and redis-server on loopback. Each scenario runs in a child process of its own.\n\n${table}\n`
  writeFileSync(join(ROOT, 'bench/CLOUD.md'), md)
  console.log(table)
}

await main()
