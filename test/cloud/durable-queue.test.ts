// @vitest-environment node
// The durable queue on its own (no HTTP): a consumer whose process dies after any one of its
// Redis commands, then the next consumer of the group. Whatever the first had settled is gone
// from the stream; whatever it had not, the next delivers; nothing stays behind.
import Redis from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { durableQueue, GROUP, type DurableQueue } from '../../src/node/durable-queue'
import { delivered } from '../../src/node/outcome'
import { startRedisWithClient, stopRedis, type RedisServer } from './redis-server'

let server: RedisServer
let redis: Redis

beforeAll(async () => {
  ;({ server, redis } = await startRedisWithClient())
})
afterAll(() => stopRedis({ server, redis }))

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const killed = () => new Error('the process was killed')

/**
 * An ioredis-like client of a process SIGKILLed right after Redis executed its `life`-th
 * command: that command's answer is lost, and no later command leaves the process.
 */
function mortal(life: number) {
  let sent = 0
  const client = {
    status: 'ready',
    async call(command: string, ...args: Array<string | number>): Promise<unknown> {
      if (sent >= life) throw killed()
      sent++
      const answer = await redis.call(command, ...args)
      if (sent >= life) {
        client.status = 'end'
        throw killed()
      }
      return answer
    },
  }
  return client
}

/** A consumer of `prefix`'s stream; `received` counts the deliveries of each entry. */
function consumer(client: unknown, prefix: string, received: Map<number, number>): DurableQueue {
  return durableQueue({
    redis: client,
    prefix,
    claimAfterMs: 50,
    maxAttempts: 5,
    deliveryTimeoutMs: 1000,
    room: () => 100,
    deliver: (_op, payload) => {
      const { n } = payload as { n: number }
      received.set(n, (received.get(n) ?? 0) + 1)
      return Promise.resolve(delivered)
    },
    warn: () => {},
  })
}

const until = async (test: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms
  while (!(await test()) && Date.now() < end) await sleep(10)
}

describe('durable queue: a process killed between any two of its Redis commands', () => {
  it('leaves no entry behind: an entry is acknowledged and removed in one step, and what was not settled is delivered by the next process', async () => {
    // The first consumer's commands: group, claim, read, then a settle per entry; cut after each.
    for (let life = 1; life <= 6; life++) {
      await redis.flushall()
      const prefix = `test:${life}`
      const stream = `${prefix}:queue`
      for (const n of [1, 2]) await redis.xadd(stream, '*', 'op', 'track', 'payload', JSON.stringify({ n }))
      const received = new Map<number, number>()
      const first = mortal(life)
      consumer(first, prefix, received)
      await until(() => Promise.resolve(first.status === 'end'), 2000)
      expect(first.status, `killed after command ${life}`).toBe('end')
      await sleep(60) // what the first took is now idle past claimAfterMs
      const next = consumer(redis, prefix, received)
      const left = async () => [await redis.xlen(stream), (await redis.xpending(stream, GROUP))[0]]
      await until(async () => (await left()).join() === '0,0' && received.size === 2, 1500)
      await next.stop()
      expect({ life, left: await left(), delivered: [...received.keys()].sort() }).toEqual({
        life,
        left: [0, 0],
        delivered: [1, 2],
      })
      // At most once more than HubSpot needed: the uuid makes a second delivery harmless.
      for (const times of received.values()) expect(times).toBeLessThanOrEqual(2)
    }
  })
})
