// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import Redis from 'ioredis'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startHubSpotApi } from './api-standin'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

let redisServer: ChildProcess
let redisPort: number

beforeAll(async () => {
  if (!existsSync(`${ROOT}/dist/node.mjs`))
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  redisPort = await freePort()
  // A throwaway Redis on loopback, no persistence (Debian's redis-server; .ci/run installs it).
  redisServer = spawn(
    'redis-server',
    ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  )
  const client = new Redis({ port: redisPort, host: '127.0.0.1', retryStrategy: (n) => (n > 50 ? null : 50) })
  client.on('error', () => {}) // refused until redis-server is up: retried
  await client.ping()
  await client.quit()
})

afterAll(() => {
  redisServer?.kill()
})

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
    const results = await Promise.all([sender('one', api.url, 20), sender('two', api.url, 20)])
    const seconds = (Date.now() - started) / 1000
    expect(results).toEqual([
      { delivered: 20, failed: [] },
      { delivered: 20, failed: [] },
    ])
    expect(api.upserts).toHaveLength(40)
    expect(api.counters.rateLimited).toBe(0)
    const peak = api.peakRate(1000)
    expect(peak).toBeLessThanOrEqual(20)
    console.log(
      `shared limit: ${api.counters.requests} requests from 2 processes in ${seconds.toFixed(1)} s, peak ${peak} in any rolling second (limit 20)`,
    )
  } finally {
    await api.close()
  }
}, 30_000)

it('without the shared store, the same two processes together go over the limit (the control)', async () => {
  const api = await startHubSpotApi({ rateLimit: { max: 20, intervalMs: 1000 } })
  try {
    const results = await Promise.all([sender('one', api.url, 20, false), sender('two', api.url, 20, false)])
    // Each keeps its own 20 per second: HubSpot sees more than 20 and answers 429 (retried, so nothing is lost).
    expect(results.map((r) => r.delivered)).toEqual([20, 20])
    expect(api.peakRate(1000)).toBeGreaterThan(20)
    expect(api.counters.rateLimited).toBeGreaterThan(0)
  } finally {
    await api.close()
  }
}, 30_000)
