// @vitest-environment node
// The durable queue (queueStore): a Redis Stream with a consumer group, on a throwaway
// redis-server. Each call is in Redis before it settles; whichever process with the same token
// and store takes an entry delivers it; a process killed with entries accepted loses none.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Redis from 'ioredis'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DEFAULT_TOKEN, startHubSpotApi, type HubSpotApi } from './api-standin'
import { expectContract } from './contract'
import { harness, occurrences, reasons, track, useStandin } from './harness'
import { freePort, startRedisWithClient, stopRedis, type RedisServer } from './redis-server'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
useStandin()

let server: RedisServer
let redis: Redis

beforeAll(async () => {
  ;({ server, redis } = await startRedisWithClient())
})
afterAll(() => stopRedis({ server, redis }))

const streams = async () => {
  const keys = await redis.keys('hubspot:*')
  const lengths = await Promise.all(keys.map((k) => redis.xlen(k)))
  return Object.fromEntries(keys.map((k, i) => [k.replace(/^hubspot:[0-9a-f]+:/, ''), lengths[i]]))
}

const until = async (test: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms
  while (!(await test()) && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** Runs durable-sender.mjs: resolves once it says every call is written, then the test may kill it. */
function child(api: HubSpotApi, count: number) {
  const proc = spawn(process.execPath, [`${ROOT}/test/cloud/durable-sender.mjs`], {
    env: {
      ...process.env,
      API_URL: api.url,
      REDIS_PORT: String(server.port),
      COUNT: String(count),
      TOKEN: DEFAULT_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const written = new Promise<{ written: number; failed: string[] }>((resolve, reject) => {
    let out = ''
    proc.stdout.on('data', (chunk: Buffer) => {
      out += String(chunk)
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]))
    })
    proc.on('exit', (code) => reject(new Error(`durable-sender exited ${code} before writing`)))
  })
  return { proc, written }
}

describe('durable queue (queueStore)', () => {
  it('each call is written to Redis before it settles, delivered and removed; failures end in the dead-letter stream with their reason', async () => {
    await redis.flushall()
    const h = await harness({ eventNames: ['pe123_delivery_test'] }, { queueStore: { redis } })
    for (let i = 0; i < 20; i++) track(h, i)
    h.analytics.track({ userId: 'x', event: 'Unknown Event', properties: { email: 'x@example.com' } })
    await h.settled(21)
    expect(h.errors).toEqual([]) // written: the queue now answers for them
    await until(async () => (await streams()).queue === 0 && occurrences(h.api).count === 20, 5000)
    expect(occurrences(h.api)).toEqual({ count: 20, duplicates: 0 })
    expect(await streams()).toEqual({ queue: 0, dead: 1 })
    const [[, fields]] = (await redis.xrange((await redis.keys('hubspot:*:dead'))[0], '-', '+')) as [string, string[]][]
    expect(fields[fields.indexOf('reason') + 1]).toMatch(/Event definition "pe123_unknown_event" does not exist/)
    await h.analytics.deregister('HubSpot')
    await h.close()
  })

  it('carries identify, track with contact traits and group whole: accepted while HubSpot is down, each delivered once it is back', async () => {
    await redis.flushall()
    const h = await harness({}, { queueStore: { redis, claimAfterMs: 500 }, batchWindowMs: 0 })
    h.api.down(700)
    h.analytics.identify({ userId: 'a', traits: { email: 'a@example.com', firstname: 'Ann' } })
    track(h, 1, { context: { traits: { firstname: 'Uno' } } })
    h.analytics.group({
      userId: 'a',
      groupId: 'g',
      traits: { name: 'Acme', domain: 'acme.com', email: 'a@example.com' },
    })
    await h.settled(3)
    // Settled (written to the stream) while HubSpot has answered nothing but 503s: in process they would still wait.
    expect(h.errors).toEqual([])
    expect(h.api.requests.filter((r) => r.done && r.status !== 503)).toEqual([])
    await until(async () => (await streams()).queue === 0 && h.api.crm.associations.length === 1, 8000)
    expect(await streams()).toEqual({ queue: 0 })
    expect(h.api.contacts.get('email:a@example.com')).toMatchObject({ firstname: 'Ann' })
    expect(h.api.contacts.get('email:u1@example.com')).toMatchObject({ firstname: 'Uno' })
    expect(occurrences(h.api)).toEqual({ count: 1, duplicates: 0 })
    expect(h.api.crm.companies).toMatchObject([{ properties: { name: 'Acme', domain: 'acme.com' } }])
    expect(h.api.counters.down).toBeGreaterThan(0)
    await h.analytics.deregister('HubSpot')
    await h.close()
  })

  it('a process SIGKILLed with calls accepted loses none: the next process delivers them, 0 lost, 0 duplicated', async () => {
    if (!existsSync(`${ROOT}/dist/node.mjs`)) throw new Error('dist/ is missing: run `npm run build` first')
    await redis.flushall()
    const api = await startHubSpotApi({ rateLimit: { max: 1000, intervalMs: 1000 } })
    try {
      const first = child(api, 1500)
      expect(await first.written).toEqual({ written: 1500, failed: [] })
      await until(() => api.events.length > 0, 3000) // delivering, 100 per request, 5 requests a second
      first.proc.kill('SIGKILL')
      const atKill = api.events.length
      expect(atKill).toBeLessThan(1500)
      // The next process (same token, same store) takes what the first left behind once it is idle.
      const next = await harness({}, { queueStore: { redis, claimAfterMs: 1000 } }, api)
      await until(async () => (await streams()).queue === 0, 10_000)
      expect(occurrences(api)).toEqual({ count: 1500, duplicates: 0 })
      expect(await streams()).toEqual({ queue: 0 })
      console.log(
        `durable: SIGKILL with ${1500 - atKill} of 1500 undelivered; the next process delivered them: 0 lost, 0 duplicated`,
      )
      await next.analytics.deregister('HubSpot')
      await next.close()
    } finally {
      await api.close()
    }
    expectContract(api)
  }, 20_000)

  it('works with a node-redis client too, for the queue and the shared limit (no fallback, no warning)', async () => {
    await redis.flushall()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const client = createClient({ socket: { port: server.port, host: '127.0.0.1' } })
    await client.connect()
    try {
      const h = await harness({}, { queueStore: { redis: client } })
      for (let i = 0; i < 30; i++) track(h, i)
      await h.settled(30)
      await until(async () => occurrences(h.api).count === 30 && (await streams()).queue === 0, 5000)
      expect(occurrences(h.api)).toEqual({ count: 30, duplicates: 0 })
      expect(await streams()).toEqual({ queue: 0 })
      expect(warn).not.toHaveBeenCalled()
      await h.analytics.deregister('HubSpot')
      await h.close()
    } finally {
      await client.quit()
      warn.mockRestore()
    }
  })

  it('when Redis cannot take a call, it is delivered from this process, with one warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const dead = new Redis({
      port: await freePort(),
      host: '127.0.0.1',
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    })
    dead.on('error', () => {})
    try {
      const h = await harness(
        {},
        { queueStore: { redis: dead }, rateLimit: { requests: 100, perMs: 1000, daily: 1000 } },
      )
      for (let i = 0; i < 5; i++) track(h, i)
      await h.settled(5)
      expect(reasons(h.errors)).toEqual([])
      expect(occurrences(h.api)).toEqual({ count: 5, duplicates: 0 })
      const said = warn.mock.calls.map((c) => String(c[0]))
      expect(said.filter((m) => m.includes('could not take a call'))).toHaveLength(1)
      await h.close()
    } finally {
      dead.disconnect()
      warn.mockRestore()
    }
  })
})
