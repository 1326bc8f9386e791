import type { AnalyticsEvent } from './types'

/** What analytics-next hands a destination middleware: `payload.obj` is the event. */
export interface MiddlewarePayload {
  obj: AnalyticsEvent & Record<string, unknown>
  rawEvent(): AnalyticsEvent & Record<string, unknown>
}

export type DestinationMiddleware = (params: {
  payload: MiddlewarePayload
  integration: string
  next: (payload: MiddlewarePayload | null) => void
}) => void | Promise<void>

/** A deep copy of plain data (objects, arrays, Dates), so a middleware never edits what other destinations get. */
export function clone<T>(value: T, seen = new Map<object, unknown>()): T {
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Date) return new Date(value.getTime()) as T
  if (seen.has(value)) return seen.get(value) as T
  const copy: Record<string, unknown> = Array.isArray(value) ? ([] as unknown as Record<string, unknown>) : {}
  seen.set(value, copy)
  for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key], seen)
  return copy as T
}

const payload = (event: AnalyticsEvent): MiddlewarePayload => {
  const obj = clone(event) as MiddlewarePayload['obj']
  return { obj, rawEvent: () => obj }
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
