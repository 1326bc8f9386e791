import type { Context } from '@segment/analytics-node'
import type { Outcome } from './batcher'
import { HubSpotApiError, type HttpResponse } from './http'

/** One HubSpot API request, as the plugin's HTTP client makes it (limited, timed, retried). */
export type Call = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<HttpResponse>

export const delivered: Outcome = { ok: true }

export const failed = (reason: unknown): Outcome => ({
  ok: false,
  reason: reason instanceof Error ? reason : new Error(String(reason)),
})

/** HubSpot answered with this status (after the client's retries). */
export const answered = (error: unknown, ...statuses: number[]): error is HubSpotApiError =>
  error instanceof HubSpotApiError && statuses.includes(error.status)

/** HubSpot says the thing to create is there already (another process, or an earlier try, made it). */
export const alreadyExists = (error: unknown): boolean => {
  if (!(error instanceof HubSpotApiError)) return false
  const body = (typeof error.body === 'object' && error.body !== null ? error.body : {}) as Record<string, unknown>
  return (
    error.status === 409 ||
    error.category === 'OBJECT_ALREADY_EXISTS' ||
    body.subCategory === 'PROPERTY_EXISTS' ||
    body.propertiesErrorCode === 'PROPERTY_EXISTS'
  )
}

/** Reports what was cut, dropped or not written: on the event (`ctx.log`) and, with `debug`, the console. */
export function reporter(debug: boolean): (ctx: Context, notes: readonly string[]) => void {
  return (ctx, notes) => {
    for (const note of notes) {
      ctx.log('warn', `HubSpot: ${note}`)
      if (debug) console.debug(`[HubSpot] ${note}`)
    }
  }
}

/** A small map whose entries expire, and whose oldest go first once it is full. */
export class ExpiringMap<V> {
  private readonly entries = new Map<string, { at: number; value: V }>()

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxSize: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (this.now() - entry.at < this.maxAgeMs) return entry.value
    this.entries.delete(key)
    return undefined
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, { at: this.now(), value })
    if (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value!)
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}
