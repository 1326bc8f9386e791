import { customEventName, eventProperties } from '../event-properties'
import { foldEventName } from '../event-map'
import { dict, toEmail, trim } from '../traits'
import type { AnalyticsEvent, HubSpotProperties } from '../types'
import type { ResolvedCloudSettings } from './settings'

/** The body of HubSpot's `POST /events/v3/send`. */
export interface EventSend {
  eventName: string
  properties: HubSpotProperties
  email?: string
  utk?: string
  objectId?: string
  occurredAt?: string
  /** Set by the Node shell: a name-based UUID of the call's messageId, so that a retry is never a second occurrence. */
  uuid?: string
}

export type EventResult = { send: EventSend } | { skip: string } | { error: string }

const IDENTIFIERS = ['utk', 'email', 'objectid', 'occurred_at']

function isoTime(value: unknown): string | undefined {
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') return undefined
  const date = new Date(value)
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
}

function firstString(values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'number' && Number.isFinite(value)) return String(value)
    if (typeof value === 'string' && trim(value)) return trim(value)
  }
  return undefined
}

/**
 * A track → a custom behavioral event occurrence, with the identifiers of the RudderStack
 * seed's table: utk, email or objectId from traits, context.traits or properties (one is
 * required), and occurredAt from properties.occurred_at, timestamp or originalTimestamp.
 */
export function eventSend(
  event: AnalyticsEvent & { timestamp?: unknown; originalTimestamp?: unknown; messageId?: unknown },
  settings: ResolvedCloudSettings,
): EventResult {
  const name = typeof event.event === 'string' ? trim(event.event) : ''
  if (!name) return { error: 'track without an event name' }
  const mapping = settings.events[foldEventName(name)]
  const eventName = mapping
    ? mapping.name
    : settings.unmappedEvents === 'custom'
      ? customEventName(settings.hubId!, name)
      : null
  if (!eventName) {
    return mapping || settings.unmappedEvents === 'custom'
      ? { error: `event ${JSON.stringify(name.slice(0, 100))} has no letters or digits for a HubSpot event name` }
      : { skip: `event ${JSON.stringify(name.slice(0, 100))} is not in settings.events and unmappedEvents is 'ignore'` }
  }

  const places = [dict(event.traits), dict(dict(event.context).traits), dict(event.properties)]
  const utk = firstString(places.map((p) => p.utk))
  const email = places.map((p) => toEmail(p.email)).find(Boolean) ?? undefined
  const objectId = firstString(places.map((p) => p.objectId))
  if (!utk && !email && !objectId) return { error: 'either utk, email or objectId is required' }

  const properties = eventProperties(event, mapping?.properties ?? {}, [])
  for (const key of IDENTIFIERS) delete properties[key]
  const occurredAt =
    isoTime(dict(event.properties).occurred_at) ?? isoTime(event.timestamp) ?? isoTime(event.originalTimestamp)
  const send: EventSend = { eventName, properties }
  if (utk) send.utk = utk
  if (email) send.email = email
  if (objectId) send.objectId = objectId
  if (occurredAt) send.occurredAt = occurredAt
  return { send }
}
