// The one place that reaches rate-limiter-flexible: a fixed window of `points` per
// `durationMs`, in Redis when a client is given, with an in-process twin that takes over
// (after one warning) whenever Redis fails or does not answer.
// rate-limiter-flexible is an optional peer: loaded here, when a window is made (by hubspotCloud()).
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible'
import { withTimeout } from './deadline'
import { rateLimiterFlexible } from './optional-dependency'
import { isNodeRedis } from './redis-command'

export interface RateWindow {
  /** Takes one point: 0 when taken, else the ms until the window frees one. */
  consume(): Promise<number>
}

export interface RateWindowOptions {
  key: string
  prefix: string
  points: number
  durationMs: number
  redis?: unknown
  warn: (message: string) => void
}

/** How long Redis may take to answer before the in-process window answers instead. */
const REDIS_ANSWER_MS = 2000
/** After a Redis failure, how long the in-process window is used before Redis is tried again. */
const REDIS_RETRY_MS = 5000

type Rejection = typeof RateLimiterRes

async function consumeOne(limiter: RateLimiterAbstract, key: string, Res: Rejection): Promise<number> {
  try {
    await limiter.consume(key)
    return 0
  } catch (rejection) {
    if (rejection instanceof Res) return Math.max(1, rejection.msBeforeNext)
    throw rejection
  }
}

/**
 * When each Redis client failed last, shared by every window on it (the CRM and events lanes'
 * rolling and daily windows): once one waited REDIS_ANSWER_MS for nothing, the others do not.
 */
const downUntil = new WeakMap<object, number>()

export function rateWindow(options: RateWindowOptions): RateWindow {
  const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = rateLimiterFlexible()
  const base = { points: options.points, duration: options.durationMs / 1000, keyPrefix: options.prefix }
  const memory = new RateLimiterMemory(base)
  const redis =
    options.redis === undefined
      ? null
      : new RateLimiterRedis({
          ...base,
          storeClient: options.redis,
          // Not rejectIfRedisNotReady: a client still connecting at start-up answers in a moment;
          // one that hangs (offline queue, reconnecting) is cut off by REDIS_ANSWER_MS.
          ...(isNodeRedis(options.redis) ? { useRedisPackage: true } : {}),
        })
  const client = options.redis as object
  let warned = false

  return {
    async consume() {
      if (!redis || Date.now() < (downUntil.get(client) ?? 0)) return consumeOne(memory, options.key, RateLimiterRes)
      try {
        return await withTimeout(
          consumeOne(redis, options.key, RateLimiterRes),
          REDIS_ANSWER_MS,
          `no answer within ${REDIS_ANSWER_MS} ms`,
        )
      } catch (error) {
        downUntil.set(client, Date.now() + REDIS_RETRY_MS)
        if (!warned) {
          warned = true
          options.warn(
            `HubSpot: the shared rate limit's Redis failed (${error instanceof Error ? error.message : String(error)}); this process keeps its own limit until Redis answers again`,
          )
        }
        return consumeOne(memory, options.key, RateLimiterRes)
      }
    },
  }
}
