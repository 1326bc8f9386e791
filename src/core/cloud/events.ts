import { customEventName, eventProperties, MAX_EVENT_NAME } from '../event-properties'
import { foldEventName } from '../event-map'
import { dict, normalizeKey, toEmail, trim } from '../traits'
import type { AnalyticsEvent, Dict } from '../types'
import { propertyTypes, type EventPropertyType } from './event-definitions'
import type { ResolvedCloudSettings } from './settings'

/** The body of HubSpot's `POST /events/v3/send`. */
export interface EventSend {
  eventName: string
  /** Strings, as the contract says (`additionalProperties: { type: string }`). */
  properties: Record<string, string>
  email?: string
  utk?: string
  objectId?: string
  occurredAt?: string
  /** Set by the Node shell: a name-based UUID of the call's messageId, so that a retry is never a second occurrence. */
  uuid?: string
}

export interface EventOccurrence {
  send: EventSend
  /** The analytics event name, for a definition's label. */
  label: string
  /** What each property's values look like, for creating missing definitions. */
  types: Record<string, EventPropertyType>
  /** Values cut and properties dropped, for ctx.log and `debug`. */
  notes: string[]
}

export type EventResult = EventOccurrence | { skip: string } | { error: string }

const IDENTIFIERS = new Set(['utk', 'email', 'objectid', 'occurred_at'])

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
 * The HubSpot name of a track: `events` first; an analytics name already of this account's
 * `pe{hubId}_…` form is used as it is (Segment's own tests send `pe22596207_test_event_http`);
 * else `pe{hubId}_{snake case}` when unmapped events are sent.
 */
function hubspotName(name: string, settings: ResolvedCloudSettings): string | null | undefined {
  const mapping = settings.events[foldEventName(name)]
  if (mapping) return mapping.name
  if (settings.unmappedEvents !== 'custom') return undefined
  const own = new RegExp(`^pe${settings.hubId}_[a-z0-9_]+$`)
  if (own.test(name) && name.length <= MAX_EVENT_NAME) return name
  return customEventName(settings.hubId!, name)
}

/** The properties without the keys that identify the contact or time the event (unless mapped). */
function withoutIdentifiers(properties: Dict, mapped: Readonly<Record<string, string>>): Dict {
  const rest: Dict = {}
  for (const key of Object.keys(properties)) {
    const name = normalizeKey(key)
    if (!(name && IDENTIFIERS.has(name)) || Object.prototype.hasOwnProperty.call(mapped, key))
      rest[key] = properties[key]
  }
  return rest
}

/** The reason a track has no contact identifier: an invalid address is named as such. */
function identifierProblem(places: Dict[]): string {
  const given = places.map((p) => p.email).find((e) => typeof e === 'string' && trim(e))
  return typeof given === 'string'
    ? `the email address ${JSON.stringify(trim(given).slice(0, 100))} is invalid, and there is no utk or objectId`
    : 'either utk, email or objectId is required'
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
  const eventName = hubspotName(name, settings)
  if (eventName === undefined)
    return {
      skip: `event ${JSON.stringify(name.slice(0, 100))} is not in settings.events and unmappedEvents is 'ignore'`,
    }
  if (eventName === null)
    return { error: `event ${JSON.stringify(name.slice(0, 100))} has no letters or digits for a HubSpot event name` }

  const places = [dict(event.traits), dict(dict(event.context).traits), dict(event.properties)]
  const utk = firstString(places.map((p) => p.utk))
  const email = places.map((p) => toEmail(p.email)).find(Boolean) ?? undefined
  const objectId = firstString(places.map((p) => p.objectId))
  if (!utk && !email && !objectId) return { error: identifierProblem(places) }

  // Identifiers leave before HubSpot's 50-property cap, so that they do not take up places.
  const mapped = mapping?.properties ?? {}
  const notes: string[] = []
  const kept = { ...event, properties: withoutIdentifiers(dict(event.properties), mapped) }
  const values = eventProperties(kept, mapped, notes)
  const properties: Record<string, string> = {}
  for (const key of Object.keys(values)) properties[key] = String(values[key])
  const occurredAt =
    isoTime(dict(event.properties).occurred_at) ?? isoTime(event.timestamp) ?? isoTime(event.originalTimestamp)
  const send: EventSend = { eventName, properties }
  if (utk) send.utk = utk
  if (email) send.email = email
  if (objectId) send.objectId = objectId
  if (occurredAt) send.occurredAt = occurredAt
  return { send, label: name, types: propertyTypes(dict(kept.properties), mapped, values), notes }
}
