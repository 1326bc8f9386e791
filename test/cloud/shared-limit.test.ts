// @vitest-environment node
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startHubSpotApi } from './api-standin'
import { expectContract, warmContract } from './contract'
import { startRedis, type RedisServer } from './redis-server'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

beforeAll(warmContract, 30_000)

let redisServer: RedisServer
let redisPort: number

beforeAll(async () => {
  if (!existsSync(`${ROOT}/dist/node.mjs`))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  redisServer = await startRedis()
  redisPort = redisServer.port
})

afterAll(() => {
  redisServer?.kill()
})

/**
 * Identifies per process, each a request of its own (plus one definitions read): 26 requests in
 * all, more than the 20 a rolling second allows, so that without sharing the two go over.
 */
const COUNT = 12
/**
 * The control's, more: 42 requests, so that the two still meet over 20 in one rolling second when
 * a busy machine slows both (each process alone keeps to its own 20).
 */
const CONTROL_COUNT = 20

interface Sender {
  /** Loaded and waiting for `go`. */
  ready: Promise<void>
  go(): void
  done: Promise<{ delivered: number; failed: string[] }>
}

function sender(name: string, apiUrl: string, count: number, shared: boolean): Sender {
  const child = spawn(process.execPath, [`${ROOT}/test/cloud/sender.mjs`], {
    env: {
      ...process.env,
      API_URL: apiUrl,
      REDIS_PORT: shared ? String(redisPort) : '',
      COUNT: String(count),
      NAME: name,
      TOKEN: DEFAULT_TOKEN,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  let out = ''
  let loaded = () => {}
  const ready = new Promise<void>((resolve) => (loaded = resolve))
  child.stdout.on('data', (chunk) => {
    out += chunk
    if (out.split('\n').includes('ready')) loaded()
  })
  const done = new Promise<{ delivered: number; failed: string[] }>((resolve, reject) =>
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!))
        : reject(new Error(`sender ${name} exited ${code}`)),
    ),
  )
  return { ready: Promise.race([ready, done.then(() => {})]), go: () => child.stdin.end('go\n'), done }
}

/**
 * Two senders that start sending together: on a busy machine, one process could otherwise load
 * (analytics-node, the build) while the other already sent all of its requests, and the two
 * would never meet in one rolling second.
 */
async function together(apiUrl: string, count: number, shared: boolean) {
  const senders = [sender('one', apiUrl, count, shared), sender('two', apiUrl, count, shared)]
  await Promise.all(senders.map((s) => s.ready))
  for (const s of senders) s.go()
  return Promise.all(senders.map((s) => s.done))
}

it('two processes sharing one token through Redis stay together within the limit (20 per rolling second)', async () => {
  const api = await startHubSpotApi({ rateLimit: { max: 20, intervalMs: 1000 } })
  try {
    const started = Date.now()
    const results = await together(api.url, COUNT, true)
    const seconds = (Date.now() - started) / 1000
    expect(results).toEqual([
      { delivered: COUNT, failed: [] },
      { delivered: COUNT, failed: [] },
    ])
    expect(api.upserts).toHaveLength(2 * COUNT)
    expect(api.counters.rateLimited).toBe(0)
    const peak = api.peakRate(1000)
    expect(peak).toBeLessThanOrEqual(20)
    console.log(
      `shared limit: ${api.counters.requests} requests from 2 processes in ${seconds.toFixed(1)} s, peak ${peak} in any rolling second (limit 20)`,
    )
  } finally {
    await api.close()
  }
  expectContract(api)
}, 30_000)

it('without the shared store, the same two processes together go over the limit (the control)', async () => {
  const api = await startHubSpotApi({ rateLimit: { max: 20, intervalMs: 1000 } })
  try {
    const results = await together(api.url, CONTROL_COUNT, false)
    // Each keeps its own 20 per second: HubSpot sees more than 20 and answers 429 (retried, so nothing is lost).
    expect(results.map((r) => r.delivered)).toEqual([CONTROL_COUNT, CONTROL_COUNT])
    expect(api.peakRate(1000)).toBeGreaterThan(20)
    expect(api.counters.rateLimited).toBeGreaterThan(0)
  } finally {
    await api.close()
  }
  expectContract(api)
}, 30_000)
