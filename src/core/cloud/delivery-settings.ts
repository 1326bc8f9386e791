import { HubSpotSettingsError } from '../errors'
import { integer, knownParts } from './setting-checks'

// The delivery half of cloud mode's settings: budgets, deadlines, bounds and the Redis stores.

export interface RateLimit {
  /** Requests allowed in any rolling window of `perMs` (HubSpot counts a rolling window). */
  requests: number
  perMs: number
  /** Requests allowed per day and token. */
  daily: number
}

/** The store for limiters shared by several processes: an ioredis or node-redis client. */
export interface LimiterStore {
  redis: unknown
}

/** A budget without a daily part: the events lane's (HubSpot exempts event sends from the daily limit). */
export interface LaneLimit {
  requests: number
  perMs: number
}

/** The durable queue: a Redis Stream shared by every process using the same token and store. */
export interface QueueStore {
  /** An ioredis or node-redis (v4+) client. */
  redis: unknown
  /** How long an entry taken by a process that went away waits before another takes it. Default deliveryTimeoutMs + 30,000. */
  claimAfterMs?: number
  /** Delivery attempts (each up to deliveryTimeoutMs) before an entry goes to the dead-letter stream. Default 5. */
  maxAttempts?: number
}

export interface ResolvedQueueStore {
  readonly redis: unknown
  readonly claimAfterMs: number
  readonly maxAttempts: number
}

function budget(input: Record<string, unknown>, key: string, example: string): Record<string, unknown> {
  const value = input[key] ?? {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HubSpotSettingsError(key, value, `${example}`)
  }
  knownParts(value, key, key === 'rateLimit' ? ['requests', 'perMs', 'daily'] : ['requests', 'perMs'], example)
  return value as Record<string, unknown>
}

const hasClient = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { redis?: unknown }).redis === 'object'

function redisStore(input: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const store = input[key]
  if (store === undefined) return null
  if (!hasClient(store) || (store as { redis: unknown }).redis === null) {
    throw new HubSpotSettingsError(key, '(a client)', '{ redis: client } with an ioredis or node-redis client')
  }
  return store as Record<string, unknown>
}

function queueStore(input: Record<string, unknown>, deliveryTimeoutMs: number): ResolvedQueueStore | null {
  const store = redisStore(input, 'queueStore')
  if (!store) return null
  knownParts(store, 'queueStore', ['redis', 'claimAfterMs', 'maxAttempts'], 'redis, claimAfterMs, maxAttempts')
  return Object.freeze({
    redis: store.redis,
    claimAfterMs: integer(store, 'claimAfterMs', deliveryTimeoutMs + 30_000, 100, 86_400_000, 'queueStore.'),
    maxAttempts: integer(store, 'maxAttempts', 5, 1, 100, 'queueStore.'),
  })
}

/** How calls are delivered: budgets, deadlines, bounds, stores. */
export function delivery(input: Record<string, unknown>) {
  const rate = budget(
    input,
    'rateLimit',
    '{ requests, perMs, daily }, e.g. { requests: 190, perMs: 10000, daily: 625000 }',
  )
  const events = budget(input, 'eventsRateLimit', '{ requests, perMs }, e.g. { requests: 10, perMs: 1000 }')
  const limiterStore = redisStore(input, 'limiterStore') as LimiterStore | null
  const deliveryTimeoutMs = integer(input, 'deliveryTimeoutMs', 60_000, 100, 3_600_000)
  return {
    rateLimit: Object.freeze({
      requests: integer(rate, 'requests', 10, 2, 100_000, 'rateLimit.'),
      perMs: integer(rate, 'perMs', 1000, 100, 3_600_000, 'rateLimit.'),
      daily: integer(rate, 'daily', 40_000, 1, 100_000_000, 'rateLimit.'),
    }),
    eventsRateLimit: Object.freeze({
      requests: integer(events, 'requests', 10, 2, 100_000, 'eventsRateLimit.'),
      perMs: integer(events, 'perMs', 1000, 100, 3_600_000, 'eventsRateLimit.'),
    }),
    maxRetries: integer(input, 'maxRetries', 10, 0, 30),
    timeoutMs: integer(input, 'timeoutMs', 10_000, 100, 120_000),
    limiterStore,
    batchWindowMs: integer(input, 'batchWindowMs', 50, 0, 10_000),
    backoffBaseMs: integer(input, 'backoffBaseMs', 500, 1, 60_000),
    deliveryTimeoutMs,
    maxQueuedEvents: integer(input, 'maxQueuedEvents', 10_000, 1, 1_000_000),
    queueStore: queueStore(input, deliveryTimeoutMs),
  }
}
