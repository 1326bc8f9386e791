import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { transientFailure } from './http'
import type { Outcome } from './outcome'
import { closedByApp, redisCommand, type RedisCommand } from './redis-command'

/**
 * The durable queue: a Redis Stream read through one consumer group by every process that
 * uses the same token and store. A call settles once its entry is in the stream; a process
 * reads entries, delivers them through its lanes and acknowledges them; entries a process
 * took and never acknowledged (it crashed) are claimed by another after `claimAfterMs`.
 * Failures end in a dead-letter stream with their reason.
 */
export interface DurableQueue {
  /** Resolves once Redis holds the entry; rejects when Redis fails. */
  write(op: string, payload: unknown): Promise<void>
  /** Stops taking entries; resolves once those taken are settled. */
  stop(): Promise<void>
}

export interface DurableQueueOptions {
  redis: unknown
  /** Keys' prefix, e.g. `hubspot:{token hash}`. */
  prefix: string
  claimAfterMs: number
  maxAttempts: number
  deliveryTimeoutMs: number
  /** How many more entries this process may take now (its bound on pending calls). */
  room: () => number
  /** Delivers one entry's call through the lanes, by its deadline. */
  deliver: (op: string, payload: unknown, deadline: number) => Promise<Outcome>
  warn: (message: string) => void
}

export const GROUP = 'hubspot-delivery'
const POLL_MS = 250
const READ_COUNT = 200
const REDIS_ANSWER_MS = 2000
/** The dead-letter stream keeps about this many entries. */
const DEAD_LETTERS = 100_000

interface Entry {
  id: string
  /** null: deleted from the stream while pending. */
  fields: Record<string, string> | null
}

/** Entries of an XREADGROUP reply ([[stream, entries]]) or an XAUTOCLAIM reply ([cursor, entries, deleted]). */
function entries(raw: unknown): Entry[] {
  if (!Array.isArray(raw)) return []
  return raw.map((item) => {
    const [id, list] = item as [string, string[] | null]
    if (!Array.isArray(list)) return { id: String(id), fields: null }
    const fields: Record<string, string> = {}
    for (let i = 0; i + 1 < list.length; i += 2) fields[String(list[i])] = String(list[i + 1])
    return { id: String(id), fields }
  })
}

/**
 * The entries of the one stream an XREADGROUP read: RESP2 answers [[name, entries]], RESP3
 * a map, which ioredis gives as [name, entries] and node-redis as { name: entries }.
 */
function streamEntries(reply: unknown): unknown {
  if (Array.isArray(reply)) return typeof reply[0] === 'string' ? reply[1] : (reply[0] as unknown[] | undefined)?.[1]
  if (typeof reply === 'object' && reply !== null) return Object.values(reply)[0]
  return undefined
}

export function durableQueue(options: DurableQueueOptions): DurableQueue {
  const redis: RedisCommand = redisCommand(options.redis, REDIS_ANSWER_MS)
  const stream = `${options.prefix}:queue`
  const dead = `${options.prefix}:dead`
  const consumer = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  const taken = new Set<Promise<void>>()
  let grouped = false
  let stopped = false
  let claimCursor = '0-0'
  let nextClaimAt = 0
  let kick: (() => void) | null = null
  let warned = false

  const warnOnce = (error: unknown) => {
    if (warned || closedByApp(options.redis)) return
    warned = true
    options.warn(
      `HubSpot: the durable queue's Redis failed (${error instanceof Error ? error.message : String(error)}); entries wait there until it answers again`,
    )
  }

  async function ensureGroup(): Promise<void> {
    if (grouped) return
    await redis(['XGROUP', 'CREATE', stream, GROUP, '0', 'MKSTREAM']).catch((error: unknown) => {
      if (!String(error).includes('BUSYGROUP')) throw error
    })
    grouped = true
  }

  async function settle(entry: Entry, outcome: Outcome): Promise<void> {
    if (!outcome.ok && transientFailure(outcome.reason) && entry.fields) {
      const pending = (await redis(['XPENDING', stream, GROUP, entry.id, entry.id, '1'])) as Array<
        [string, string, number, number]
      >
      const attempts = Number(pending?.[0]?.[3] ?? options.maxAttempts)
      // Left pending: claimed again once idle for claimAfterMs, by this process or another.
      if (attempts < options.maxAttempts) return
    }
    if (!outcome.ok) {
      const { op = '', payload = '' } = entry.fields ?? {}
      await redis([
        'XADD',
        dead,
        'MAXLEN',
        '~',
        DEAD_LETTERS,
        '*',
        'op',
        op,
        'payload',
        payload,
        'reason',
        outcome.reason.message,
        'id',
        entry.id,
      ])
    }
    await redis(['XACK', stream, GROUP, entry.id])
    await redis(['XDEL', stream, entry.id])
  }

  async function handle(entry: Entry): Promise<void> {
    let outcome: Outcome
    try {
      const { op, payload } = entry.fields ?? {}
      if (op === undefined || payload === undefined)
        outcome = { ok: false, reason: new Error('HubSpot: an unreadable queue entry') }
      else outcome = await options.deliver(op, JSON.parse(payload), Date.now() + options.deliveryTimeoutMs)
    } catch (error) {
      outcome = { ok: false, reason: error instanceof Error ? error : new Error(String(error)) }
    }
    await settle(entry, outcome).catch(warnOnce)
  }

  /** Takes what this process has room for: entries others left behind, then new ones. */
  async function take(): Promise<number> {
    await ensureGroup()
    let room = Math.min(options.room(), READ_COUNT)
    const found: Entry[] = []
    if (room > 0 && Date.now() >= nextClaimAt) {
      const reply = (await redis([
        'XAUTOCLAIM',
        stream,
        GROUP,
        consumer,
        options.claimAfterMs,
        claimCursor,
        'COUNT',
        room,
      ])) as unknown[]
      claimCursor = typeof reply?.[0] === 'string' ? reply[0] : '0-0'
      if (claimCursor === '0-0') nextClaimAt = Date.now() + Math.max(1000, options.claimAfterMs / 4)
      found.push(...entries(reply?.[1]))
      room -= found.length
    }
    if (room > 0) {
      const reply = await redis(['XREADGROUP', 'GROUP', GROUP, consumer, 'COUNT', room, 'STREAMS', stream, '>'])
      found.push(...entries(streamEntries(reply)))
    }
    for (const entry of found) {
      const job = handle(entry).finally(() => taken.delete(job))
      taken.add(job)
    }
    return found.length
  }

  const nap = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => ((kick = null), resolve()), ms)
      // The application's own work (and its Redis connection) keeps the process alive, not this loop.
      timer.unref()
      kick = () => {
        clearTimeout(timer)
        kick = null
        resolve()
      }
    })

  async function loop(): Promise<void> {
    while (!stopped && !closedByApp(options.redis)) {
      let count = 0
      try {
        count = await take()
      } catch (error) {
        if (String(error).includes('NOGROUP')) grouped = false
        warnOnce(error)
        await nap(1000)
      }
      if (count === 0 && !stopped) await nap(POLL_MS)
    }
  }
  void loop()

  return {
    async write(op, payload) {
      await redis(['XADD', stream, '*', 'op', op, 'payload', JSON.stringify(payload)])
      kick?.()
    },
    async stop() {
      stopped = true
      kick?.()
      await Promise.allSettled([...taken])
    },
  }
}
