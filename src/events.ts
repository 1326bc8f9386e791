import { foldEventName, type ResolvedSettings } from './settings'
import { dict, cut, cutNote, normalizeTraits, normalizeValue, toEmail, trim } from './traits'
import type { AnalyticsEvent, Command, Dict, HubSpotProperties, Translation } from './types'

/** HubSpot's limits for one custom behavioral event occurrence. */
export const MAX_EVENT_PROPERTIES = 50
export const MAX_EVENT_NAME = 50
export const EVENT_VALUE_LIMIT = 256
export const URL_VALUE_LIMIT = 1024

// The RudderStack seed's default custom behavioral event properties: source keys, first wins.
const STANDARD: Array<[string, string[]]> = [
  ['hs_asset_description', ['assetDescription', 'hsAssetDescription']],
  ['hs_asset_type', ['assetType', 'hsAssetType']],
  ['hs_campaign_id', ['campaignId']],
  ['hs_element_class', ['elementClass', 'hsElementClass']],
  ['hs_element_id', ['elementId', 'hsElementId']],
]
const STANDARD_SOURCES = new Set(STANDARD.flatMap(([, sources]) => sources))
const URL_LIKE = /(^|_)(url|uri|referrer|href|link|path)(_|$)/

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key)
const NO_MAPPING: Readonly<Record<string, string>> = Object.freeze(Object.create(null))

/** `pe{hubId}_{name}` for an analytics event name, within HubSpot's 50 characters; null if nothing is left. */
export function customEventName(hubId: string, event: string): string | null {
  const prefix = `pe${hubId}_`
  const name = event
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, MAX_EVENT_NAME - prefix.length)
    .replace(/^_+|_+$/g, '')
  return name ? prefix + name : null
}

function limitValue(key: string, value: HubSpotProperties[string], notes: string[]): HubSpotProperties[string] {
  const limit = URL_LIKE.test(key) ? URL_VALUE_LIMIT : EVENT_VALUE_LIMIT
  if (typeof value !== 'string' || value.length <= limit) return value
  notes.push(cutNote(key, limit))
  return cut(value, limit)
}

/** Event properties for `trackCustomBehavioralEvent`: mapped first, then the seed's hs_* ones, then the rest. */
export function eventProperties(
  event: AnalyticsEvent,
  mapped: Readonly<Record<string, string>>,
  notes: string[],
): HubSpotProperties {
  const properties = dict(event.properties)
  const context = dict(event.context)
  const ordered: HubSpotProperties = {}
  const set = (key: string, raw: unknown) => {
    const value = normalizeValue(raw)
    if (value !== undefined && !has(ordered, key)) ordered[key] = limitValue(key, value, notes)
  }

  for (const from of Object.keys(mapped)) set(mapped[from], properties[from])
  for (const [target, sources] of STANDARD) for (const source of sources) set(target, properties[source])
  for (const source of [properties, dict(event.traits), dict(context.traits)]) {
    const address = dict(source.address)
    set('hs_city', address.city)
    set('hs_country', address.country)
  }
  set('hs_device_name', dict(context.device).name)

  const rest: Dict = {}
  for (const key of Object.keys(properties)) {
    if (!has(mapped, key) && !STANDARD_SOURCES.has(key)) rest[key] = properties[key]
  }
  // Cut below, once, at the limit for each key.
  const normalized = normalizeTraits(rest, Infinity)
  for (const key of Object.keys(normalized)) set(key, normalized[key])

  const keys = Object.keys(ordered)
  if (keys.length <= MAX_EVENT_PROPERTIES) return ordered
  notes.push(`dropped properties over HubSpot's limit of ${MAX_EVENT_PROPERTIES}: ${keys.slice(MAX_EVENT_PROPERTIES).join(', ')}`)
  const kept: HubSpotProperties = {}
  for (const key of keys.slice(0, MAX_EVENT_PROPERTIES)) kept[key] = ordered[key]
  return kept
}

/**
 * A track call: contact properties from `context.traits` (Segment seed) as a buffered
 * identify, then the custom behavioral event (or the legacy event).
 */
export function trackCommands(event: AnalyticsEvent, settings: ResolvedSettings): Translation {
  const notes: string[] = []
  const name = typeof event.event === 'string' ? trim(event.event) : ''
  const sent = name ? eventCommand(event, name, settings, notes) : (notes.push('track without an event name: nothing sent'), null)
  if (!sent) return { commands: [], notes }

  const properties = dict(event.properties)
  const traits = dict(dict(event.context).traits)
  const email = toEmail(traits.email) ?? toEmail(properties.email)
  if (!email) return { commands: [sent], notes }
  const contact = normalizeTraits(traits, undefined, notes)
  // The visitor token is HubSpot's cookie, not a contact property.
  delete contact.utk
  return { commands: [['identify', { ...contact, email }], sent], notes }
}

function eventCommand(event: AnalyticsEvent, name: string, settings: ResolvedSettings, notes: string[]): Command | null {
  const mapping = settings.events[foldEventName(name)]
  if (mapping) {
    return ['trackCustomBehavioralEvent', { name: mapping.name, properties: eventProperties(event, mapping.properties, notes) }]
  }
  if (settings.unmappedEvents === 'legacy') {
    const properties = dict(event.properties)
    const value = [properties.revenue, properties.value].find((v) => typeof v === 'number' && Number.isFinite(v))
    return ['trackEvent', typeof value === 'number' ? { id: name, value } : { id: name }]
  }
  if (settings.unmappedEvents === 'ignore') {
    notes.push(`event ${JSON.stringify(name)} is not in settings.events and unmappedEvents is 'ignore': nothing sent`)
    return null
  }
  const internal = customEventName(settings.hubId, name)
  if (internal) return ['trackCustomBehavioralEvent', { name: internal, properties: eventProperties(event, NO_MAPPING, notes) }]
  notes.push(`event ${JSON.stringify(name)} has no letters or digits for a HubSpot name: nothing sent`)
  return null
}
