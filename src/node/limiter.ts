import type { LaneLimit } from '../core/cloud/settings'
import { DeadlineError, sleep } from './deadline'
import { rateWindow, type RateWindow } from './rate-window'

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
export function fixedWindows(limit: LaneLimit, wholeSeconds: boolean): { points: number; windowMs: number } {
  let best = { points: 0, windowMs: limit.perMs * 2 }
  const step = wholeSeconds ? 1000 : 10
  for (let windowMs = step; windowMs <= limit.perMs * 2; windowMs += step) {
    const points = Math.floor(limit.requests / (Math.ceil(limit.perMs / windowMs) + 1))
    if (points >= 1 && points / windowMs > best.points / best.windowMs) best = { points, windowMs }
  }
  return best
}

export interface Limiter {
  /**
   * Resolves when one more request may go out now. Rejects with DeadlineError when the next
   * slot comes after `deadline` (epoch ms), and with DailyLimitError when the day's budget is spent.
   */
  take(deadline: number): Promise<void>
}

export interface LimiterOptions {
  /** A hash of the token and the lane's name: the token itself never reaches Redis. */
  key: string
  limit: LaneLimit & { daily?: number }
  /** An ioredis or node-redis client, to share the budget among processes; none: in process. */
  redis?: unknown
  /** Told once when Redis fails and the in-process windows take over. */
  warn: (message: string) => void
}

/**
 * A lane's budget: a rolling window (as fixed windows that never exceed it) and an optional
 * daily count. Waits are capped by the caller's deadline; a wait that would pass it fails now.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const { points, windowMs } = fixedWindows(options.limit, options.redis !== undefined)
  const rolling = rateWindow({ ...options, prefix: 'hubspot-rolling', points, durationMs: windowMs })
  const daily: RateWindow | null = options.limit.daily
    ? rateWindow({ ...options, prefix: 'hubspot-daily', points: options.limit.daily, durationMs: 86_400_000 })
    : null

  return {
    async take(deadline) {
      for (;;) {
        const wait = await rolling.consume()
        if (wait === 0) break
        // A little jitter, so that processes sharing a budget do not wake up in step.
        const at = Date.now() + wait + Math.random() * 20
        if (at > deadline) throw new DeadlineError(`no request slot in the rate limit before the delivery deadline`, at)
        await sleep(at - Date.now())
      }
      if (!daily) return
      const wait = await daily.consume()
      if (wait > 0) throw new DailyLimitError(options.limit.daily!, wait)
    },
  }
}
