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

function sender(
  name: string,
  apiUrl: string,
  count: number,
  shared = true,
): Promise<{ delivered: number; failed: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}/test/cloud/sender.mjs`], {
      env: {
        ...process.env,
        API_URL: apiUrl,
        REDIS_PORT: shared ? String(redisPort) : '',
        COUNT: String(count),
        NAME: name,
        TOKEN: DEFAULT_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!))
        : reject(new Error(`sender ${name} exited ${code}`)),
    )
  })
}

it('two processes sharing one token through Redis stay together within the limit (20 per rolling second)', async () => {
  const api = await startHubSpotApi({ rateLimit: { max: 20, intervalMs: 1000 } })
  try {
    const started = Date.now()
    const results = await Promise.all([sender('one', api.url, COUNT), sender('two', api.url, COUNT)])
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
    const results = await Promise.all([sender('one', api.url, COUNT, false), sender('two', api.url, COUNT, false)])
    // Each keeps its own 20 per second: HubSpot sees more than 20 and answers 429 (retried, so nothing is lost).
    expect(results.map((r) => r.delivered)).toEqual([COUNT, COUNT])
    expect(api.peakRate(1000)).toBeGreaterThan(20)
    expect(api.counters.rateLimited).toBeGreaterThan(0)
  } finally {
    await api.close()
  }
  expectContract(api)
}, 30_000)
