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

/** Why an event has no contact to write: an invalid address is named as such. */
export function lookupProblem(event: AnalyticsEvent, lookupField: string, what: string): string {
  const where = 'in traits, context.traits or properties'
  const given = sources(event)
    .map((source) => source.email)
    .find((value) => typeof value === 'string' && trim(value))
  const wanted = lookupField === 'email' ? 'an email' : `"${lookupField}" or an email`
  return typeof given === 'string'
    ? `the email address ${JSON.stringify(trim(given).slice(0, 100))} is invalid; ${what} needs ${wanted} ${where}`
    : `${what} needs ${wanted} ${where}`
}

/** The traits of an event: context.traits (where track and server-side identify carry them), traits winning. */
export const eventTraits = (event: AnalyticsEvent): Dict => ({
  ...dict(dict(event.context).traits),
  ...dict(event.traits),
})

// They identify the visitor, they are not properties to write (hs_object_id is dropped and said so, in recordWrite).
const NOT_PROPERTIES = new Set(['utk', 'objectid', 'anonymousid'])

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

/** identify traits (and context.traits) → HubSpot contact properties (see recordProperties). */
export const contactProperties = (
  event: AnalyticsEvent,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): ContactProperties => recordProperties(eventTraits(event), definitions)

/** Traits as the browser plugin normalizes them, before HubSpot's definitions are applied: plain JSON. */
export type NormalizedTraits = Record<string, string | number | boolean>

/**
 * The part of the mapping that needs no HubSpot answer: the browser plugin's normalization,
 * `null` as '' (clears a property), identifiers of the visitor left out. Plain JSON, so that it
 * can wait in the durable queue until the definitions are read at delivery.
 */
export function normalizedRecord(traits: Dict): NormalizedTraits {
  const normalized: NormalizedTraits = normalizeTraits(traits)
  for (const key of Object.keys(traits)) {
    const name = traits[key] === null ? normalizeKey(key) : null
    if (name) normalized[name] = ''
  }
  for (const name of Object.keys(normalized)) if (NOT_PROPERTIES.has(name)) delete normalized[name]
  return normalized
}

/**
 * Normalized traits → the properties to write, by HubSpot's definitions (when known): unknown
 * and read-only properties dropped, dates as HubSpot wants them. Values as strings, as the API documents.
 */
export function recordWrite(
  normalized: NormalizedTraits,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): ContactProperties {
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

/**
 * Traits → HubSpot record properties (contacts, companies): normalized (normalizedRecord), then
 * written by HubSpot's definitions (recordWrite).
 */
export const recordProperties = (
  traits: Dict,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): ContactProperties => recordWrite(normalizedRecord(traits), definitions)

/** A contact to write once HubSpot's definitions are known: its lookup and normalized traits. */
export interface ContactDraft {
  lookup: Lookup
  traits: NormalizedTraits
}

/** Whether properties say more about the contact than its identifier. */
export const describes = (properties: Readonly<Record<string, unknown>>, lookup: Lookup): boolean =>
  Object.keys(properties).some((name) => name !== lookup.idProperty && name !== 'email')

/**
 * The contact part of a track (the Segment seed: `context.traits` with `properties.email`), when
 * its traits say more than the identifier itself; null otherwise.
 */
export function trackContactDraft(event: AnalyticsEvent, lookupField: string): ContactDraft | null {
  const lookup = lookupOf(event, lookupField)
  if (!lookup) return null
  const traits = normalizedRecord(eventTraits(event))
  return describes(traits, lookup) ? { lookup, traits } : null
}

/** The contact part of a track with HubSpot's definitions applied; null when nothing beyond the identifier remains. */
export function trackContact(
  event: AnalyticsEvent,
  lookupField: string,
  definitions: ReadonlyMap<string, PropertyDefinition> | null,
): (Lookup & ContactProperties) | null {
  const draft = trackContactDraft(event, lookupField)
  if (!draft) return null
  const { properties, dropped } = recordWrite(draft.traits, definitions)
  return describes(properties, draft.lookup) ? { ...draft.lookup, properties, dropped } : null
}
