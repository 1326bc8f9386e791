import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import { transientFailure } from './http'
import { delivered, failed, type Outcome } from './outcome'
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
const REDIS_ANSWER_MS = 5000
/** The dead-letter stream keeps about this many entries. */
const DEAD_LETTERS = 100_000
/**
 * Acknowledges and removes an entry in one step. As two commands, a process killed between
 * them left the entry acknowledged (in no consumer's pending list, so never claimed again)
 * and still in the stream, for ever.
 */
const ACK_AND_DELETE = "redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) return redis.call('XDEL', KEYS[1], ARGV[2])"

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
  const consumer = new StreamConsumer(options)
  void consumer.run()
  return {
    write: (op, payload) => consumer.write(op, payload),
    stop: () => consumer.stop(),
  }
}

class StreamConsumer {
  private readonly redis: RedisCommand
  private readonly stream: string
  private readonly dead: string
  private readonly name = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
  /** Entries taken and not yet settled. */
  private readonly taken = new Set<Promise<void>>()
  private grouped = false
  private stopped = false
  private claimCursor = '0-0'
  private nextClaimAt = 0
  private kick: (() => void) | null = null
  private warned = false

  constructor(private readonly options: DurableQueueOptions) {
    this.redis = redisCommand(options.redis, REDIS_ANSWER_MS)
    this.stream = `${options.prefix}:queue`
    this.dead = `${options.prefix}:dead`
  }

  async write(op: string, payload: unknown): Promise<void> {
    await this.redis(['XADD', this.stream, '*', 'op', op, 'payload', JSON.stringify(payload)])
    this.kick?.()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.kick?.()
    await Promise.allSettled([...this.taken])
  }

  async run(): Promise<void> {
    while (!this.stopped && !closedByApp(this.options.redis)) {
      let count = 0
      try {
        count = await this.take()
      } catch (error) {
        if (String(error).includes('NOGROUP')) this.grouped = false
        this.warnOnce(error)
        await this.nap(1000)
      }
      if (count === 0 && !this.stopped) await this.nap(POLL_MS)
    }
  }

  private warnOnce(error: unknown): void {
    if (this.warned || closedByApp(this.options.redis)) return
    this.warned = true
    this.options.warn(
      `HubSpot: the durable queue's Redis failed (${error instanceof Error ? error.message : String(error)}); entries wait there until it answers again`,
    )
  }

  /** Sleeps until the next poll, or until this process writes an entry. */
  private nap(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.kick = null
        resolve()
      }
      const timer = setTimeout(wake, ms)
      // The application's own work (and its Redis connection) keeps the process alive, not this loop.
      timer.unref()
      this.kick = wake
    })
  }

  private async ensureGroup(): Promise<void> {
    if (this.grouped) return
    await this.redis(['XGROUP', 'CREATE', this.stream, GROUP, '0', 'MKSTREAM']).catch((error: unknown) => {
      if (!String(error).includes('BUSYGROUP')) throw error
    })
    this.grouped = true
  }

  /** Takes what this process has room for: entries others left behind (idle past claimAfterMs), then new ones. */
  private async take(): Promise<number> {
    await this.ensureGroup()
    let room = Math.min(this.options.room(), READ_COUNT)
    const found: Entry[] = []
    if (room > 0 && Date.now() >= this.nextClaimAt) {
      const { claimAfterMs } = this.options
      const args = ['XAUTOCLAIM', this.stream, GROUP, this.name, claimAfterMs, this.claimCursor, 'COUNT', room]
      const reply = (await this.redis(args)) as unknown[]
      this.claimCursor = typeof reply?.[0] === 'string' ? reply[0] : '0-0'
      if (this.claimCursor === '0-0') this.nextClaimAt = Date.now() + Math.max(1000, claimAfterMs / 4)
      found.push(...entries(reply?.[1]))
      room -= found.length
    }
    if (room > 0) {
      const args = ['XREADGROUP', 'GROUP', GROUP, this.name, 'COUNT', room, 'STREAMS', this.stream, '>']
      found.push(...entries(streamEntries(await this.redis(args))))
    }
    for (const entry of found) {
      const job = this.handle(entry).finally(() => this.taken.delete(job))
      this.taken.add(job)
    }
    return found.length
  }

  private async handle(entry: Entry): Promise<void> {
    const outcome = await this.outcomeOf(entry).catch(failed)
    await this.settle(entry, outcome).catch((error: unknown) => this.warnOnce(error))
  }

  private async outcomeOf(entry: Entry): Promise<Outcome> {
    // Deleted while pending (Redis 6.2 still hands such an entry out): nothing is left to deliver.
    if (!entry.fields) return delivered
    const { op, payload } = entry.fields
    if (op === undefined || payload === undefined) return failed(new Error('HubSpot: an unreadable queue entry'))
    return this.options.deliver(op, JSON.parse(payload), Date.now() + this.options.deliveryTimeoutMs)
  }

  /** Delivered: acknowledged and removed. Failed for good, or too often: to the dead letters. Else left for a redelivery. */
  private async settle(entry: Entry, outcome: Outcome): Promise<void> {
    if (!outcome.ok && transientFailure(outcome.reason) && entry.fields) {
      const pending = (await this.redis(['XPENDING', this.stream, GROUP, entry.id, entry.id, '1'])) as unknown[][]
      // Claimed again once idle for claimAfterMs, by this process or another.
      if (Number(pending?.[0]?.[3] ?? this.options.maxAttempts) < this.options.maxAttempts) return
    }
    if (!outcome.ok) {
      const { op = '', payload = '' } = entry.fields ?? {}
      const reason = outcome.reason.message
      await this.redis([
        'XADD',
        this.dead,
        'MAXLEN',
        '~',
        DEAD_LETTERS,
        '*',
        'op',
        op,
        'payload',
        payload,
        'reason',
        reason,
        'id',
        entry.id,
      ])
    }
    await this.redis(['EVAL', ACK_AND_DELETE, 1, this.stream, GROUP, entry.id])
  }
}
