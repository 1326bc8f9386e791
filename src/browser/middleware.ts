import { dateMs } from '../core/traits'
import type { AnalyticsEvent } from '../core/types'

type Event = AnalyticsEvent & Record<string, unknown>

/**
 * What a destination middleware is handed: `obj` is the event, as in analytics-next, with
 * the accessors of its Segment facade that middlewares use most.
 */
export interface MiddlewarePayload {
  obj: Event
  rawEvent(): Event
  type(): unknown
  event(): unknown
  properties(): unknown
  traits(): unknown
  userId(): unknown
  anonymousId(): unknown
  context(): unknown
  integrations(): unknown
}

export type DestinationMiddleware = (params: {
  payload: MiddlewarePayload
  integration: string
  next: (payload: MiddlewarePayload | null) => void
}) => void | Promise<void>

/** A deep copy of plain data (objects, arrays, Dates), so a middleware never edits what other destinations get. */
export function clone<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date) return new Date(dateMs(value) ?? NaN) as T
  if (seen.has(value)) return seen.get(value) as T
  const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {}
  seen.set(value, copy)
  for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key], seen)
  return copy as T
}

const payload = (event: AnalyticsEvent): MiddlewarePayload => {
  const obj = clone(event) as Event
  return {
    obj,
    rawEvent: () => obj,
    type: () => obj.type,
    event: () => obj.event,
    properties: () => obj.properties ?? {},
    traits: () => obj.traits ?? {},
    userId: () => obj.userId,
    anonymousId: () => obj.anonymousId,
    context: () => obj.context ?? {},
    integrations: () => obj.integrations ?? {},
  }
}

/**
 * Runs destination middlewares in order, as analytics-next does for its own destinations:
 * each gets a copy, may change it, and drops the event with `next(null)` or by not calling
 * `next` before it returns (or its promise settles). Resolves to the event to send, or null.
 */
export async function applyMiddleware(
  event: AnalyticsEvent,
  middlewares: readonly DestinationMiddleware[],
  integration: string,
): Promise<AnalyticsEvent | null> {
  let current: AnalyticsEvent | null = event
  for (const middleware of middlewares) {
    let result: AnalyticsEvent | null = null
    await middleware({
      payload: payload(current),
      integration,
      next: (next) => {
        result = next ? next.obj : null
      },
    })
    if (!result) return null
    current = result
  }
  return current
}
