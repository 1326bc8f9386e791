import { createRequire } from 'node:module'
import type * as RateLimiterFlexible from 'rate-limiter-flexible'

// rate-limiter-flexible is an optional peer dependency, so that a browser-only install does
// not pull it: cloud mode loads it when it first needs it, and says how to install it if missing.
const load = createRequire(import.meta.url)

export const RATE_LIMITER_PACKAGE = 'rate-limiter-flexible'

/** Thrown by cloud mode when an optional peer dependency it needs is not installed. */
export class MissingDependencyError extends Error {
  readonly cause: unknown
  constructor(name: string, purpose: string, cause: unknown) {
    super(
      `analytics-next-hubspot/node needs the package ${name} (${purpose}), which is not installed: run \`npm install ${name}\``,
    )
    this.name = 'MissingDependencyError'
    this.cause = cause
  }
}

export function rateLimiterFlexible(): typeof RateLimiterFlexible {
  try {
    return load(RATE_LIMITER_PACKAGE) as typeof RateLimiterFlexible
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
    if (code === 'MODULE_NOT_FOUND' && String(message).includes(`'${RATE_LIMITER_PACKAGE}'`)) {
      throw new MissingDependencyError(RATE_LIMITER_PACKAGE, 'the rate limiter of cloud mode', error)
    }
    throw error
  }
}
