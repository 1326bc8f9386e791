import { createHash } from 'node:crypto'
import type { LimiterStore, RateLimit } from '../core/cloud/settings'
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import { rateLimiterFlexible } from './optional-dependency'

/** Thrown when the token's daily budget is used up: failing beats waiting until tomorrow. */
export class DailyLimitError extends Error {
  constructor(limit: number, msBeforeNext: number) {
    super(
      `HubSpot: the daily budget of ${limit} requests for this token is used up; it frees up in ${Math.ceil(msBeforeNext / 60_000)} min`,
    )
    this.name = 'DailyLimitError'
  }
}

/**
 * Fixed windows, as rate-limiter-flexible counts them, that never exceed `requests` in a
 * rolling `perMs`: with p points per window w, a rolling window touches at most
 * ceil(perMs / w) + 1 windows, so p = floor(requests / (k + 1)). Picks the w that lets the
 * most through. Redis expiries are whole seconds, so a shared store uses whole-second windows.
 */
export function fixedWindows(limit: RateLimit, wholeSeconds: boolean): { points: number; windowMs: number } {
  let best = { points: 0, windowMs: limit.perMs * 2 }
  const step = wholeSeconds ? 1000 : 10
  for (let windowMs = step; windowMs <= limit.perMs * 2; windowMs += step) {
    const points = Math.floor(limit.requests / (Math.ceil(limit.perMs / windowMs) + 1))
    if (points >= 1 && points / windowMs > best.points / best.windowMs) best = { points, windowMs }
  }
  return best
}

export interface Limiter {
  /** Resolves when one more request may go out now; rejects with DailyLimitError. */
  take(): Promise<void>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function createLimiter(accessToken: string, limit: RateLimit, store?: LimiterStore): Limiter {
  const { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } = rateLimiterFlexible()
  // Keyed by a hash: the token itself must never reach logs, Redis keys or errors.
  const key = createHash('sha256').update(accessToken).digest('hex').slice(0, 16)
  const shared = !!store
  const { points, windowMs } = fixedWindows(limit, shared)
  const make = (p: number, durationMs: number, prefix: string): RateLimiterAbstract =>
    shared
      ? new RateLimiterRedis({ storeClient: store.redis, points: p, duration: durationMs / 1000, keyPrefix: prefix })
      : new RateLimiterMemory({ points: p, duration: durationMs / 1000, keyPrefix: prefix })
  const rolling = make(points, windowMs, 'hubspot-rolling')
  const daily = make(limit.daily, 86_400_000, 'hubspot-daily')

  return {
    async take() {
      for (;;) {
        try {
          await rolling.consume(key)
          break
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) throw rejection
          // A little jitter, so that processes sharing a budget do not wake up in step.
          await sleep(rejection.msBeforeNext + Math.random() * 20)
        }
      }
      try {
        await daily.consume(key)
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw new DailyLimitError(limit.daily, rejection.msBeforeNext)
        throw rejection
      }
    },
  }
}
