import { dict, normalizeKey, normalizeTraits, toEmail, trim } from '../traits'
import type { AnalyticsEvent, Dict } from '../types'

/** The parts of a HubSpot contact property definition the mapping needs. */
export interface PropertyDefinition {
  name: string
  type: string
  hasUniqueValue?: boolean
  modificationMetadata?: { readOnlyValue?: boolean }
}

export interface Lookup {
  idProperty: string
  id: string
}

export interface ContactProperties {
  properties: Record<string, string>
  /** Traits HubSpot has no writable property for: dropped rather than failing the whole contact. */
  dropped: string[]
}

const DAY_MS = 86_400_000
const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/

/** traits, then context.traits, then properties: where Segment events carry contact data. */
const sources = (event: AnalyticsEvent): Dict[] => [
  dict(event.traits),
  dict(dict(event.context).traits),
  dict(event.properties),
]

/**
 * The contact an identify is about: the `lookupField` value (traits, context.traits, then
 * properties; numbers as strings), else the email, as RudderStack does. Null when neither.
 */
export function lookupOf(event: AnalyticsEvent, lookupField: string): Lookup | null {
  for (const source of sources(event)) {
    const value = source[lookupField]
    if (typeof value === 'number' && Number.isFinite(value)) return { idProperty: lookupField, id: String(value) }
    if (typeof value === 'string' && trim(value)) {
      if (lookupField !== 'email') return { idProperty: lookupField, id: trim(value) }
      const email = toEmail(value)
      if (email) return { idProperty: 'email', id: email }
    }
  }
  if (lookupField === 'email') return null
  for (const source of sources(event)) {
    const email = toEmail(source.email)
    if (email) return { idProperty: 'email', id: email }
  }
  return null
}

function asDate(value: string | number | boolean, type: string): string | number | boolean {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && PLAIN_DATE.test(value)
        ? Date.parse(`${value}T00:00:00Z`)
        : NaN
  if (Number.isNaN(ms)) return value
  // HubSpot stores a `date` as midnight UTC of that day, a `datetime` as epoch milliseconds.
  return type === 'date' ? Math.floor(ms / DAY_MS) * DAY_MS : ms
}

/**
 * identify traits → HubSpot contact properties: the browser plugin's normalization, then
 * HubSpot's definitions (when known): unknown and read-only properties dropped, dates as
 * HubSpot wants them, `null` clearing a property. Values as strings, as the API documents.
 */
export function contactProperties(
  event: AnalyticsEvent,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): ContactProperties {
  const traits = dict(event.traits)
  const normalized: Record<string, string | number | boolean> = normalizeTraits(traits)
  for (const key of Object.keys(traits)) {
    const name = traits[key] === null ? normalizeKey(key) : null
    if (name) normalized[name] = ''
  }
  const properties: Record<string, string> = {}
  const dropped: string[] = []
  for (const [name, value] of Object.entries(normalized)) {
    const definition = definitions?.get(name)
    if (name === 'hs_object_id' || (definitions && (!definition || definition.modificationMetadata?.readOnlyValue))) {
      dropped.push(name)
      continue
    }
    const typed =
      definition && (definition.type === 'date' || definition.type === 'datetime')
        ? asDate(value, definition.type)
        : value
    properties[name] = String(typed)
  }
  return { properties, dropped }
}
